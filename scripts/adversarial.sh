#!/usr/bin/env bash
# Time and memory of guidelint on each adversarial input, one process per file: each must finish
# under MAX_MS milliseconds (default 100) and MAX_MB megabytes of peak RSS (default 50).
# Inputs made to give tens of thousands of findings (repeated headings, heading jumps, residue lines,
# tag items, a flow list, a repeated key) are checked in the concise and the human format and fixed, under
# MANY_MS (default 2500)
# and MANY_MB (default 150): work that grows with the square of the findings shows there.
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
many_ms=${MANY_MS:-2500}
many_mb=${MANY_MB:-150}
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
os.mkdir(os.path.join(d, "many"))
many = lambda name, text: open(os.path.join(d, "many", name), "w").write(text)
many("repeated-headings.md", fm + "# Mixing\n" * 20_000)
many("heading-jumps.md", fm + "# Mixing\n### EQ\n" * 10_000)
many("residue-lines.md", fm + "# Mixing\n" + "Instagram\n\n" * 20_000)
many("tag-items.md", fm.replace("stage: [mixing]", "stage:\n" + "  - Mixing\n" * 30_000))
many("repeated-keys.md", fm.replace("genre: [all]\n", "genre: [all]\n" * 30_000))
many("flow-list.md", fm.replace("stage: [mixing]", "stage: [" + ", ".join(["Mixing"] * 30_000) + "]"))
PY
fail=0
# measure FILE FORMAT MAX_MS MAX_MB LABEL (FORMAT `fix`: --fix on a copy of FILE)
measure() {
  local file=$1 args=(--format "$2")
  if [ "$2" = fix ]; then
    cp "$1" "$tmp/fixed.md"
    file=$tmp/fixed.md args=(--fix --format concise)
  fi
  # guidelint exits 1 on these inputs (they have findings): only the measurement matters.
  /usr/bin/time -o "$tmp/time" -f '%e %M' "$bin" check --no-config -q "${args[@]}" "$file" >/dev/null 2>&1 || true
  out=$(tail -1 "$tmp/time")
  seconds=${out% *}
  kib=${out#* }
  ms=$(python3 -c "print(round($seconds * 1000))")
  mib=$((kib / 1024))
  flag=""
  if [ "$ms" -gt "$3" ] || [ "$mib" -gt "$4" ]; then
    flag="  <-- over $3 ms / $4 MiB"
    fail=1
  fi
  printf '%-34s %8s %8s%s\n' "$5" "$ms" "$mib" "$flag"
}
printf '%-34s %8s %8s\n' file ms MiB
for f in fixtures/adversarial/*.md "$tmp"/*.md; do
  measure "$f" concise "$max_ms" "$max_mb" "$(basename "$f")"
done
for f in "$tmp"/many/*.md; do
  for format in concise human fix; do
    measure "$f" "$format" "$many_ms" "$many_mb" "$(basename "$f") ($format)"
  done
done
exit $fail
