#!/usr/bin/env bash
# Benchmark `guidelint check` on a synthetic guide of N articles (default 10,000).
#
#   scripts/bench.sh [N ...]
#
# Builds the release binary, generates the corpus with examples/gen_corpus.rs (cached in
# target/bench/), and times a full check with hyperfine (Debian/Ubuntu: `apt install
# hyperfine`) next to `rg -c '^#'` over the same tree when ripgrep is installed, as the floor
# of reading every file. Peak memory comes from GNU time (`/usr/bin/time -v`) when present.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example gen_corpus
bin=target/release/guidelint
gen=target/release/examples/gen_corpus

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "guidelint: $($bin --version)"
for n in "${sizes[@]}"; do
  corpus=target/bench/corpus-$n
  if [ ! -d "$corpus" ]; then
    "$gen" "$corpus" "$n"
  fi
  echo
  echo "== $n articles ($(du -sh "$corpus" | cut -f1))"
  cmds=("$bin check -q --format concise $corpus")
  if command -v rg >/dev/null; then
    cmds+=("rg -c '^#' $corpus")
  fi
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 2 --runs 10 -N --ignore-failure "${cmds[@]}" --export-markdown "target/bench/result-$n.md"
    cat "target/bench/result-$n.md"
  else
    echo "hyperfine not found: timing 5 runs with bash's time"
    for _ in 1 2 3 4 5; do
      ( time "$bin" check -q --format concise "$corpus" >/dev/null ) 2>&1 | grep real || true
    done
  fi
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$bin" check -q --format concise "$corpus" 2>&1 >/dev/null \
      | grep -E 'Maximum resident|Elapsed' | sed 's/^\s*/  /'
  fi
done
