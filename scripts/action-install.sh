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
# install found there is kept if it still reports that version (else it is installed afresh).
# `action-install.sh --target` prints the release platform (the Action's cache key names it).
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

if [ "${1:-}" = --target ]; then
  # For the Action's cache key: the platform whose archive this runner gets, or `none`.
  target=${GUIDELINT_TARGET:-$(detect_target || echo none)}
  [[ "$target" =~ ^[A-Za-z0-9_.-]+$ ]] || fail "bad target name '$target'"
  echo "$target"
  exit 0
fi
[ $# -eq 0 ] || fail "usage: action-install.sh [--target] (settings come from the environment)"

version=${GUIDELINT_VERSION:-}
dest=${GUIDELINT_INSTALL_DIR:-}
base=${GUIDELINT_RELEASE_URL:-https://github.com/guidelint/guidelint/releases/download}
base=${base%/}
sources=${ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
route=${GUIDELINT_INSTALL_ROUTE:-auto}
[ -n "$dest" ] || fail "GUIDELINT_INSTALL_DIR is not set"
# The version ends up in a URL and in paths: a version number, nothing else.
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
  || fail "version '$version' is not a version number such as 0.1.0"

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*|Windows_NT) exe=guidelint.exe ;;
  *) exe=guidelint ;;
esac
bin="$dest/bin/$exe"

# Download limits: a release archive is a few MB, a checksum file one line. A server that
# does not answer, stalls (under 1 KB/s for 30 s) or sends more than the limit fails the
# attempt instead of holding up the step.
max_archive=$((200 * 1024 * 1024))
max_checksum=1024

# The SHA-256 tool at hand, or nothing. Hashes are read from stdin: with a file name, GNU
# sha256sum escapes its output (a leading `\`) when the name holds a backslash, as Windows
# paths (RUNNER_TEMP=D:\a\_temp) do.
hasher=
if command -v sha256sum >/dev/null 2>&1; then
  hasher=sha256sum
elif command -v shasum >/dev/null 2>&1; then
  hasher=shasum
elif command -v openssl >/dev/null 2>&1; then
  hasher=openssl
fi
sha256() {
  case "$hasher" in
    sha256sum) sha256sum < "$1" ;;
    shasum) shasum -a 256 < "$1" ;;
    openssl) openssl dgst -sha256 -r < "$1" ;;
  esac | cut -d' ' -f1 | tr 'A-F' 'a-f'
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

# download URL FILE MAX_BYTES: print `ok`; or the HTTP status of an error answer (404 ...); or
# `failed` when there was no usable answer (no connection, a stall, a cut-off or oversized
# transfer, an unreadable file:// path), with the reason in $work/curl.err. Each attempt is
# limited in time and size; curl retries transient failures.
download() {
  local code rc=0
  code=$(curl --silent --show-error --fail --location --retry 3 --retry-max-time 600 \
    --connect-timeout 20 --speed-limit 1024 --speed-time 30 --max-time 300 \
    --max-filesize "$3" --output "$2" --write-out '%{http_code}' -- "$1" 2>"$work/curl.err") \
    || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo ok
  elif [ "$rc" -eq 22 ] && [ -n "$code" ] && [ "$code" != 000 ]; then
    echo "$code"
  else
    if [ "$rc" -eq 63 ]; then
      echo "larger than the $3-byte limit" > "$work/curl.err"
    elif ! [ -s "$work/curl.err" ]; then
      echo "curl failed with exit status $rc" > "$work/curl.err"
    fi
    echo failed
  fi
}
# excerpt FILE [tail]: the start (or end) of a tool's output, on one line, for a message.
excerpt() { "${2:-head}" -c 300 "$1" | tr -s '\n\t ' '   ' | sed 's/^ //; s/ $//'; }
# Why a download did not give `ok`, for a message.
why_download() {
  case "$1" in
    failed) excerpt "$work/curl.err" ;;
    *) echo "HTTP $1" ;;
  esac
}

# Check that a binary runs and is the version asked for.
check_binary() {
  local out
  out=$("$1" --version 2>&1) || { echo "it does not run: $out"; return 1; }
  [ "$out" = "guidelint $version" ] || { echo "it reports '$out', not 'guidelint $version'"; return 1; }
}

if [ "${GUIDELINT_CACHE_HIT:-}" = true ]; then
  # The cache restores a file; it is used only if it still runs as the version asked for.
  if [ -f "$bin" ] && [ -x "$bin" ] && why=$(check_binary "$bin"); then
    say "using guidelint $version from the Action's cache ($(cat "$dest/route" 2>/dev/null || echo 'route unknown'))"
    exit 0
  fi
  say "the cached guidelint is unusable (${why:-missing}); installing afresh"
fi

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/guidelint-install.XXXXXX")
partial=
trap 'rm -rf "$work"; if [ -n "$partial" ]; then rm -f "$partial"; fi' EXIT

# Move a checked binary into place: it appears whole, or not at all. The copy goes to a name
# of its own in the same folder, so installs running at once into one folder do not collide.
place() {
  mkdir -p "$dest/bin"
  partial=$(mktemp "$dest/bin/.$exe.XXXXXX")
  cp "$1" "$partial"
  chmod 755 "$partial"
  mv -f "$partial" "$bin"
  partial=$(mktemp "$dest/.route.XXXXXX")
  echo "$2" > "$partial"
  mv -f "$partial" "$dest/route"
  partial=
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "route=$3" >> "$GITHUB_OUTPUT"; fi
  installed=$3
  say "installed guidelint $version from $2"
}

# Each route either installs (and sets `installed`), returns to let the next one try, or stops
# the install with `fail`. The routes run as plain commands, so `set -e` holds inside them.
installed=

# Route 1: the release archive. Returns when there is none; fails when one is unusable.
from_release() {
  local target asset url result expected actual unpacked found why py
  if ! target=${GUIDELINT_TARGET:-$(detect_target)}; then
    say "no release archive is built for $(uname -s) $(uname -m)"
    return 0
  fi
  [[ "$target" =~ ^[A-Za-z0-9_.-]+$ ]] || fail "bad target name '$target'"
  if ! command -v curl >/dev/null 2>&1; then
    say "curl is not installed: cannot download the release archive"
    return 0
  fi
  if [ -z "$hasher" ]; then
    [ "$route" = auto ] \
      || fail "no sha256sum, shasum or openssl to verify the release archive with; install one, or set GUIDELINT_INSTALL_ROUTE to pip or source"
    say "no sha256sum, shasum or openssl to verify a release archive with: skipping the release route"
    return 0
  fi
  case "$target" in
    *windows*) asset="guidelint-$target.zip" ;;
    *) asset="guidelint-$target.tar.gz" ;;
  esac
  url="$base/v$version/$asset"
  say "downloading $url"
  result=$(download "$url" "$work/$asset" "$max_archive")
  case "$result" in
    ok) ;;
    failed)
      say "could not download from $base: $(why_download failed)"
      return 0
      ;;
    *)
      say "no release archive $asset for version $version (HTTP $result)"
      return 0
      ;;
  esac
  result=$(download "$url.sha256" "$work/$asset.sha256" "$max_checksum")
  [ "$result" = ok ] \
    || fail "the release has $asset but its checksum file $asset.sha256 could not be downloaded ($(why_download "$result")); refusing to install an unverified binary"
  expected=$(head -n 1 "$work/$asset.sha256" | cut -d' ' -f1 | tr 'A-F' 'a-f')
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] \
    || fail "$asset.sha256 does not hold a SHA-256 checksum; refusing to install an unverified binary"
  actual=$(sha256 "$work/$asset")
  [ "$actual" = "$expected" ] \
    || fail "checksum mismatch for $asset: $asset.sha256 says $expected, the download is ${actual:-unreadable}. Nothing was installed; the download may be corrupt or tampered with."
  say "sha256 verified: $actual"

  unpacked="$work/unpacked"
  mkdir "$unpacked"
  case "$asset" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$work/$asset" -d "$unpacked" >"$work/unpack.err" 2>&1 \
          || fail "could not unpack $asset with unzip: $(excerpt "$work/unpack.err")"
      elif command -v 7z >/dev/null 2>&1; then
        7z x -bd -o"$unpacked" "$work/$asset" >"$work/unpack.err" 2>&1 \
          || fail "could not unpack $asset with 7z: $(excerpt "$work/unpack.err" tail)"
      else
        py=$(find_python) || fail "no unzip, 7z or Python to unpack $asset"
        "$py" -m zipfile -e "$work/$asset" "$unpacked" >"$work/unpack.err" 2>&1 \
          || fail "could not unpack $asset with Python's zipfile: $(excerpt "$work/unpack.err" tail)"
      fi
      ;;
    *)
      command -v tar >/dev/null 2>&1 || fail "no tar to unpack $asset"
      # From stdin, in the folder: GNU tar reads backslashes in names given to it (-C, -f) as
      # escapes, and Windows paths are full of them.
      (cd "$unpacked" && tar -xzf - < "$work/$asset") >"$work/unpack.err" 2>&1 \
        || fail "could not unpack $asset with tar: $(excerpt "$work/unpack.err")"
      ;;
  esac
  # Only a regular file in a real folder: a symbolic link (to a file anywhere) is refused
  # before anything is run, copied or has its permissions changed.
  found="$unpacked/guidelint-$target/$exe"
  if [ -L "$unpacked/guidelint-$target" ] || [ ! -d "$unpacked/guidelint-$target" ]; then
    fail "$asset has no folder guidelint-$target"
  fi
  [ -e "$found" ] || [ -L "$found" ] || fail "$asset has no guidelint-$target/$exe"
  if [ -L "$found" ] || [ ! -f "$found" ]; then
    fail "guidelint-$target/$exe in $asset is not a regular file (a symbolic link or other); refusing to install it"
  fi
  chmod 755 "$found"
  why=$(check_binary "$found") || fail "the binary in $asset is unusable: $why"
  place "$found" "the release archive $asset (sha256 verified)" release
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
