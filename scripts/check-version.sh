#!/usr/bin/env bash
# Check that every place naming guidelint's version agrees, and with the release tag if given:
#   scripts/check-version.sh [--root DIR] [TAG]      (TAG such as v0.1.0)
# The places: Cargo.toml (the source of truth), Cargo.lock, wheel/pyproject.toml (whose version
# must stay `dynamic`, i.e. Cargo.toml's), the pre-commit placeholder pyproject.toml (its
# version and its pin on the wheel) and action.yml's default `version` input (the release the
# Action installs). The release workflow runs it first; it exits 1 on any disagreement, 2 on
# bad arguments.
set -euo pipefail
usage() {
  echo "usage: $0 [--root DIR] [TAG]      (TAG such as v0.1.0)" >&2
  exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --root ]; then
  if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
  root=$2
  shift 2
fi
# At most one TAG, and not an empty one (an unset variable in the caller, say).
[ $# -le 1 ] || usage
if [ $# -eq 1 ]; then
  case "$1" in ''|-*) usage ;; esac
fi
[ -d "$root" ] || { echo "check-version: no folder $root" >&2; exit 2; }
exec python3 - "$root" "${1:-}" <<'PY'
import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:
    sys.exit("check-version: needs Python 3.11 or later (tomllib)")

root, tag = Path(sys.argv[1]), sys.argv[2]
problems = []


def load(name):
    with open(root / name, "rb") as f:
        return tomllib.load(f)


version = load("Cargo.toml")["package"]["version"]
found = {"Cargo.toml": version}

lock = [p for p in load("Cargo.lock")["package"] if p["name"] == "guidelint"]
found["Cargo.lock"] = lock[0]["version"] if lock else None

wheel = load("wheel/pyproject.toml")["project"]
if "version" in wheel:
    found["wheel/pyproject.toml"] = wheel["version"]
elif "version" not in wheel.get("dynamic", []):
    problems.append("wheel/pyproject.toml: neither a version nor `dynamic = [\"version\"]`")

placeholder = load("pyproject.toml")["project"]
found["pyproject.toml (version)"] = placeholder.get("version")
pins = [d for d in placeholder.get("dependencies", []) if re.match(r"guidelint\b", d)]
pin = re.fullmatch(r"guidelint\s*==\s*(\S+)", pins[0]) if len(pins) == 1 else None
found["pyproject.toml (guidelint==)"] = pin.group(1) if pin else None

# action.yml: the `default` of the `version` input (a small YAML subset, read by indentation).
action = (root / "action.yml").read_text()
m = re.search(
    r"^inputs:\n(?:(?:[ \t].*)?\n)*?  version:\n(?:    .*\n)*?    default:[ \t]*[\"']?([^\"'\s]+)[\"']?[ \t]*$",
    action,
    re.M,
)
found["action.yml (inputs.version.default)"] = m.group(1) if m else None

for place, value in found.items():
    if value != version:
        problems.append(f"{place}: {value or 'no version found'} (Cargo.toml: {version})")
if tag and tag != f"v{version}":
    problems.append(f"tag {tag}: expected v{version} (Cargo.toml: {version})")

if problems:
    print("check-version: versions disagree:", file=sys.stderr)
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    sys.exit(1)
print(f"check-version: {version} everywhere" + (f", tag {tag}" if tag else ""))
PY
