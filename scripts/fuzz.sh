#!/usr/bin/env bash
# Run each fuzz target for a bounded time on the stable toolchain (RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz use the sanitizer flags it needs).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). Corpora start from the project's
# fixtures. A crash is saved under fuzz/artifacts/<target>/; turn it into a fixture under
# fixtures/adversarial/ (with its expected rule in tests/adversarial.rs) when fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1
for target in parse_document schema_placement fix; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  if [ -z "$(ls -A "$corpus")" ]; then
    find fixtures -type f -name '*.md' -size -64k | while read -r f; do
      cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
    done
  fi
  echo "fuzz: $target for ${seconds}s"
  cargo fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 2>&1 | tail -n 30
done
