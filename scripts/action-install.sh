#!/usr/bin/env bash
# Install guidelint for the GitHub Action (action.yml), by the first route that works:
#   1. release: the release archive for GUIDELINT_VERSION and this platform, from
#      GUIDELINT_RELEASE_URL (default: this repository's GitHub releases), verified against
#      its .sha256 file. A checksum that does not match, or a missing checksum file, stops the
#      install: nothing is installed and no other route is tried.
#   2. pip: `pip install guidelint==VERSION` (wheels only) into a private virtual environment,
#      when there is no archive (a version not released yet, as on a branch of the Action, or a
#      platform without one) or it cannot be downloaded. PIP_INDEX_URL, PIP_FIND_LINKS,
#      PIP_NO_INDEX and the like apply.
#   3. source: `cargo install --locked --path ACTION_PATH`, as long as VERSION is the version
#      of those sources.
# GUIDELINT_INSTALL_ROUTE=release, pip or source takes that route only (the project's CI
# builds the Action from source, to test the sources rather than a release); the default,
# auto, tries them in turn. The log says which route was taken. The binary lands in
# GUIDELINT_INSTALL_DIR/bin, which the Action caches; with GUIDELINT_CACHE_HIT=true an earlier
# install found there is kept.
#
# Environment: GUIDELINT_VERSION (required), GUIDELINT_INSTALL_DIR (required),
# GUIDELINT_RELEASE_URL, GUIDELINT_TARGET (override the detected platform), ACTION_PATH (the
# sources for route 3; default: this script's repository), GUIDELINT_INSTALL_ROUTE,
# GUIDELINT_CACHE_HIT.
set -euo pipefail

say() { echo "guidelint: $*"; }
fail() {
  # An annotation on GitHub, a plain line elsewhere.
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error title=guidelint install::$*"; fi
  echo "guidelint: error: $*" >&2
  exit 1
}

version=${GUIDELINT_VERSION:-}
dest=${GUIDELINT_INSTALL_DIR:-}
base=${GUIDELINT_RELEASE_URL:-https://github.com/guidelint/guidelint/releases/download}
base=${base%/}
sources=${ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
[ -n "$dest" ] || fail "GUIDELINT_INSTALL_DIR is not set"
# The version ends up in a URL and in paths: a version number, nothing else.
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || fail "version '$version' is not a version number such as 0.1.0"

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*|Windows_NT) exe=guidelint.exe ;;
  *) exe=guidelint ;;
esac
bin="$dest/bin/$exe"

if [ "${GUIDELINT_CACHE_HIT:-}" = true ] && [ -x "$bin" ]; then
  say "using guidelint $version from the Action's cache ($(cat "$dest/route" 2>/dev/null || echo 'route unknown'))"
  exit 0
fi

detect_target() {
  local arch
  case "$(uname -m)" in
    x86_64|amd64|AMD64) arch=x86_64 ;;
    aarch64|arm64|ARM64) arch=aarch64 ;;
    *) return 1 ;;
  esac
  case "$(uname -s)" in
    # glibc systems get the glibc build (manylinux 2.17, fine for any current distribution);
    # anything else (Alpine, distroless containers) the static musl build.
    Linux)
      if getconf GNU_LIBC_VERSION >/dev/null 2>&1; then
        echo "$arch-unknown-linux-gnu"
      else
        echo "$arch-unknown-linux-musl"
      fi
      ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW*|MSYS*|CYGWIN*|Windows_NT) [ "$arch" = x86_64 ] && echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

# A Python that runs (on Windows, `python3` may be a stub that only points at the Store).
find_python() {
  local py
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

# Download URL to FILE; print the HTTP status, or 000 when the transfer failed (no answer, or
# cut off part way).
download() {
  local code
  code=$(curl --silent --show-error --location --retry 3 --connect-timeout 20 --max-time 600 \
    --output "$2" --write-out '%{http_code}' "$1" 2>"$work/curl.err") || code=000
  echo "$code"
}

# Check that a binary runs and is the version asked for.
check_binary() {
  local out
  out=$("$1" --version 2>&1) || { echo "it does not run: $out"; return 1; }
  [ "$out" = "guidelint $version" ] || { echo "it reports '$out', not 'guidelint $version'"; return 1; }
}

# Move a checked binary into place: it appears whole, or not at all.
place() {
  mkdir -p "$dest/bin"
  cp "$1" "$bin.partial"
  chmod 755 "$bin.partial"
  mv -f "$bin.partial" "$bin"
  echo "$2" > "$dest/route"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "route=$3" >> "$GITHUB_OUTPUT"; fi
  installed=$3
  say "installed guidelint $version from $2"
}

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/guidelint-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Each route either installs (and sets `installed`), returns to let the next one try, or stops
# the install with `fail`. The routes run as plain commands, so `set -e` holds inside them.
installed=

# Route 1: the release archive. Returns when there is none; fails when one is unusable.
from_release() {
  local target asset url code expected actual unpacked why py
  if ! target=${GUIDELINT_TARGET:-$(detect_target)}; then
    say "no release archive is built for $(uname -s) $(uname -m)"
    return 0
  fi
  [[ "$target" =~ ^[A-Za-z0-9_.-]+$ ]] || fail "bad target name '$target'"
  if ! command -v curl >/dev/null 2>&1; then
    say "curl is not installed: cannot download the release archive"
    return 0
  fi
  case "$target" in
    *windows*) asset="guidelint-$target.zip" ;;
    *) asset="guidelint-$target.tar.gz" ;;
  esac
  url="$base/v$version/$asset"
  say "downloading $url"
  code=$(download "$url" "$work/$asset")
  if [ "$code" != 200 ]; then
    if [ "$code" = 000 ]; then
      say "could not download from $base: $(head -c 300 "$work/curl.err")"
    else
      say "no release archive $asset for version $version (HTTP $code)"
    fi
    return 0
  fi
  code=$(download "$url.sha256" "$work/$asset.sha256")
  [ "$code" = 200 ] \
    || fail "the release has $asset but its checksum file $asset.sha256 could not be downloaded (HTTP $code); refusing to install an unverified binary"
  expected=$(head -n 1 "$work/$asset.sha256" | cut -d' ' -f1 | tr 'A-F' 'a-f')
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] \
    || fail "$asset.sha256 does not hold a SHA-256 checksum; refusing to install an unverified binary"
  actual=$(sha256 "$work/$asset")
  [ "$actual" = "$expected" ] \
    || fail "checksum mismatch for $asset: $asset.sha256 says $expected, the download is $actual. Nothing was installed; the download may be corrupt or tampered with."
  say "sha256 verified: $actual"

  unpacked="$work/unpacked"
  mkdir "$unpacked"
  case "$asset" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$work/$asset" -d "$unpacked"
      elif command -v 7z >/dev/null 2>&1; then
        7z x -bd -o"$unpacked" "$work/$asset" >/dev/null
      else
        py=$(find_python) || fail "no unzip, 7z or Python to unpack $asset"
        "$py" -m zipfile -e "$work/$asset" "$unpacked"
      fi
      ;;
    *) tar -xzf "$work/$asset" -C "$unpacked" ;;
  esac
  [ -f "$unpacked/guidelint-$target/$exe" ] || fail "$asset has no guidelint-$target/$exe"
  chmod 755 "$unpacked/guidelint-$target/$exe"
  why=$(check_binary "$unpacked/guidelint-$target/$exe") || fail "the binary in $asset is unusable: $why"
  place "$unpacked/guidelint-$target/$exe" "the release archive $asset (sha256 verified)" release
}

# Route 2: the wheel from PyPI (or whatever index pip is configured with).
from_pip() {
  local py venv vbin why
  if ! py=$(find_python); then
    say "no Python to install the wheel with"
    return 0
  fi
  say "trying pip install guidelint==$version (wheels only)"
  venv="$work/venv"
  if ! "$py" -m venv "$venv" >"$work/pip.log" 2>&1; then
    say "could not create a virtual environment: $(tail -n 3 "$work/pip.log")"
    return 0
  fi
  vbin="$venv/bin"
  [ -d "$vbin" ] || vbin="$venv/Scripts"
  if ! "$vbin/python" -m pip install --disable-pip-version-check --no-input --quiet \
      --only-binary :all: "guidelint==$version" >"$work/pip.log" 2>&1; then
    say "no wheel of guidelint $version for this platform: $(tail -n 2 "$work/pip.log" | tr '\n' ' ')"
    return 0
  fi
  why=$(check_binary "$vbin/$exe") || { say "the wheel's binary is unusable: $why"; return 0; }
  place "$vbin/$exe" "the PyPI wheel (pip install guidelint==$version)" pip
}

# Route 3: build the Action's own sources.
from_source() {
  local own
  own=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$sources/Cargo.toml" | head -n 1)
  [ "$own" = "$version" ] \
    || fail "no release archive or wheel of guidelint $version, and the Action's sources are version ${own:-unknown}: nothing to install"
  command -v cargo >/dev/null 2>&1 \
    || fail "no release archive or wheel of guidelint $version, and no cargo to build it from source"
  say "building guidelint $version from source with cargo (a few minutes)"
  cargo install --locked --path "$sources" --root "$work/cargo" \
    || fail "cargo install failed"
  place "$work/cargo/bin/$exe" "source (cargo install --locked --path $sources)" source
}

route=${GUIDELINT_INSTALL_ROUTE:-auto}
case "$route" in
  auto)
    from_release
    [ -n "$installed" ] || from_pip
    [ -n "$installed" ] || from_source
    ;;
  release) from_release ;;
  pip) from_pip ;;
  source) from_source ;;
  *) fail "GUIDELINT_INSTALL_ROUTE is '$route'; expected auto, release, pip or source" ;;
esac
[ -n "$installed" ] || fail "guidelint $version could not be installed by the route '$route'"
