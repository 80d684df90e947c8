#!/usr/bin/env bash
# Run guidelint over real Markdown trees and fail if it crashes, reports an internal error or
# cannot read a file. Trees: the arguments after the binary, or ../shared/{corpora,seeds}
# when they exist. Prints a per-rule count so a change in behaviour is visible in CI logs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/guidelint}
shift || true
trees=("$@")
if [ ${#trees[@]} -eq 0 ]; then
  for t in ../shared/corpora ../shared/seeds; do
    [ -d "$t" ] && trees+=("$t")
  done
fi
if [ ${#trees[@]} -eq 0 ]; then
  echo "corpus-smoke: no corpus found, skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for tree in "${trees[@]}"; do
  # The seeds are .txt files: give them a Markdown name so they are discovered.
  if ls "$tree"/*.txt >/dev/null 2>&1; then
    mkdir -p "$tmp/$(basename "$tree")"
    for f in "$tree"/*.txt; do cp "$f" "$tmp/$(basename "$tree")/$(basename "${f%.txt}").md"; done
    tree="$tmp/$(basename "$tree")"
  fi
  status=0
  "$bin" check --format json "$tree" >"$tmp/report.json" 2>"$tmp/stderr" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "corpus-smoke: $tree: exit $status" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
  python3 - "$tmp/report.json" "$tree" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
counts = collections.Counter(d["rule"] for d in report["diagnostics"])
print(f"corpus-smoke: {sys.argv[2]}: {report['files_checked']} files,",
      ", ".join(f"{r} {n}" for r, n in sorted(counts.items())) or "no findings")
assert not report["failures"], report["failures"]
PY
done
