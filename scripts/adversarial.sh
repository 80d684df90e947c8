#!/usr/bin/env bash
# Time and memory of guidelint on each adversarial input, one process per file: each must finish
# under MAX_MS milliseconds (default 100) and MAX_MB megabytes of peak RSS (default 50).
#
#   scripts/adversarial.sh [path/to/guidelint]     (default: target/release/guidelint)
#
# Needs GNU time (/usr/bin/time); skipped without it. Inputs too large to commit are made in a
# temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/guidelint}
max_ms=${MAX_MS:-100}
max_mb=${MAX_MB:-50}
if [ ! -x /usr/bin/time ]; then
  echo "adversarial: /usr/bin/time not found, skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import os, sys
d = sys.argv[1]
with open(os.path.join(d, "fifty-megabytes.md"), "wb") as f:
    f.truncate(50 * 1024 * 1024)
fm = "---\ntitle: Long line\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n"
open(os.path.join(d, "one-megabyte-line.md"), "w").write(fm + "# Mixing\n" + "word " * 210_000 + "\n")
open(os.path.join(d, "one-megabyte-title.md"), "w").write(fm.replace("Long line", "x" * (1 << 20)) + "# Mixing\nText.\n")
PY
fail=0
printf '%-34s %8s %8s\n' file ms MiB
for f in fixtures/adversarial/*.md "$tmp"/*.md; do
  # guidelint exits 1 on these inputs (they have findings): only the measurement matters.
  /usr/bin/time -o "$tmp/time" -f '%e %M' "$bin" check --no-config -q --format concise "$f" >/dev/null 2>&1 || true
  out=$(tail -1 "$tmp/time")
  seconds=${out% *}
  kib=${out#* }
  ms=$(python3 -c "print(round($seconds * 1000))")
  mib=$((kib / 1024))
  flag=""
  if [ "$ms" -gt "$max_ms" ] || [ "$mib" -gt "$max_mb" ]; then
    flag="  <-- over ${max_ms} ms / ${max_mb} MiB"
    fail=1
  fi
  printf '%-34s %8s %8s%s\n' "$(basename "$f")" "$ms" "$mib" "$flag"
done
exit $fail
