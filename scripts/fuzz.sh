#!/usr/bin/env bash
# Run each fuzz target for a bounded time on the stable toolchain (RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz use the sanitizer flags it needs).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60; random seed, corpus kept)
#   scripts/fuzz.sh --runs N [--seed S]       (N inputs per target from seed S, default 1;
#                                              reproducible: what CI runs)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). Corpora start from the project's
# fixtures. A crash is saved under fuzz/artifacts/<target>/ and its panic message printed;
# turn it into a fixture under fixtures/ when fixing it (tests/fix_props.rs and
# tests/adversarial.rs replay every fixture).
set -euo pipefail
cd "$(dirname "$0")/.."
limit=(-max_total_time=60)
seed=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) limit=(-runs="$2"); seed=${seed:-1}; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) limit=(-max_total_time="$1"); shift ;;
  esac
done
[ -z "$seed" ] || limit+=(-seed="$seed")
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in parse_document schema_placement fix yaml_fast outline_fast suppressions taxonomy; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  if [ -z "$(ls -A "$corpus")" ]; then
    find fixtures -type f -name '*.md' -size -64k | sort | while read -r f; do
      cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
    done
  fi
  echo "fuzz: $target (${limit[*]})"
  if ! cargo fuzz run "$target" "$corpus" -- "${limit[@]}" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 >"$log" 2>&1; then
    # The panic message and the saved input, not just the tail of libFuzzer's statistics.
    grep -E -A3 "panicked at|ERROR: libFuzzer|SUMMARY:" "$log" | head -n 40 >&2
    grep -E "Test unit written to|Reproduce with|cargo fuzz run" "$log" >&2 || true
    echo "fuzz: $target failed" >&2
    exit 1
  fi
  grep -E "^Done [0-9]+ runs" "$log" || tail -n 3 "$log"
done
