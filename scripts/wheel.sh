#!/usr/bin/env bash
# Build the Python wheel (wheel/pyproject.toml: maturin, `bindings = "bin"`), install it into a
# fresh virtual environment, and run the README's example with the installed `guidelint`:
#   scripts/wheel.sh [OUTDIR]      (default target/wheels; a relative OUTDIR is from the
#                                  current folder)
# Earlier guidelint wheels in OUTDIR are removed first; nothing else there is touched.
# maturin comes from PyPI. It compiles with `cargo build --release --locked`'s flags into the
# same target folder, so after that build (as in .ci/run) it only packs the binary.
set -euo pipefail
if [ $# -gt 1 ]; then
  echo "usage: $0 [OUTDIR]" >&2
  exit 2
fi
out=${1:-}
if [ -n "$out" ] && [ "${out#/}" = "$out" ]; then out="$PWD/$out"; fi
cd "$(dirname "$0")/.."
out=${out:-$PWD/target/wheels}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pip() { timeout 600 "$1/bin/pip" install --quiet --disable-pip-version-check "${@:2}"; }

echo "wheel: installing maturin"
python3 -m venv "$tmp/build"
pip "$tmp/build" "maturin>=1.9,<2"

echo "wheel: building"
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/guidelint-*.whl
(cd wheel && "$tmp/build/bin/maturin" build --release --locked --out "$out")
wheel=$(ls "$out"/guidelint-*.whl)
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"

echo "wheel: installing into a fresh virtual environment (no index: this wheel only)"
python3 -m venv "$tmp/venv"
pip "$tmp/venv" --no-index --find-links "$out" guidelint
installed="$tmp/venv/bin/guidelint"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ "$("$installed" --version)" = "guidelint $version" ] || {
  echo "wheel: the installed command reports '$("$installed" --version)', not guidelint $version" >&2
  exit 1
}
# The wheel carries the binary itself, not a Python launcher.
if head -c 2 "$installed" | grep -q '#!'; then
  echo "wheel: the installed guidelint is a script, not the binary" >&2
  exit 1
fi

echo "wheel: the README's example with the installed command"
# README (Quick start): `guidelint check --format concise fixtures/guide` exits 1 and ends with
# "Checked 6 files in …: 7 errors, 3 warnings, …"; the first such line of the README is taken.
expected=$(sed -n 's/^Checked \([0-9]* files\) in [^:]*: \([0-9]* errors, [0-9]* warnings\).*/\1 \2/p' README.md | head -n 1)
[ -n "$expected" ] || { echo "wheel: no example summary found in README.md" >&2; exit 1; }
code=0
PATH="$tmp/venv/bin:$PATH" guidelint check --color never fixtures/guide > "$tmp/out.txt" 2>&1 || code=$?
summary=$(sed -n 's/^Checked \([0-9]* files\) in [^:]*: \([0-9]* errors, [0-9]* warnings\).*/\1 \2/p' "$tmp/out.txt")
if [ "$code" -ne 1 ] || [ "$summary" != "$expected" ]; then
  cat "$tmp/out.txt"
  echo "wheel: expected exit 1 and '$expected', got exit $code and '$summary'" >&2
  exit 1
fi
echo "wheel: ok ($summary, exit 1, as the README shows)"
