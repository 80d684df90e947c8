#!/usr/bin/env bash
# Pack a built guidelint binary as a release archive with its checksum file:
#   scripts/release-archive.sh TARGET BINARY OUTDIR
# writes OUTDIR/guidelint-TARGET.tar.gz (a .zip for Windows targets), holding the folder
# guidelint-TARGET/ with the binary, LICENSE and README.md, and OUTDIR/<archive>.sha256 in
# `sha256sum` format. The release workflow packs every platform with it; the Action
# (scripts/action-install.sh) and `cargo binstall` (Cargo.toml) expect these names.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 TARGET BINARY OUTDIR" >&2
  exit 2
fi
target=$1 binary=$2 out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
case "$target" in
  *[!A-Za-z0-9_.-]*|'') echo "release-archive: bad target name: $target" >&2; exit 2 ;;
esac
[ -f "$binary" ] || { echo "release-archive: no binary at $binary" >&2; exit 2; }

name="guidelint-$target"
case "$target" in
  *windows*) exe=guidelint.exe archive="$name.zip" ;;
  *) exe=guidelint archive="$name.tar.gz" ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$root/LICENSE" "$root/README.md" "$stage/$name/"

rm -f "$out/$archive" "$out/$archive.sha256"
case "$archive" in
  *.zip)
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$name" >/dev/null)
    else
      py=$(command -v python3 || command -v python)
      (cd "$stage" && "$py" -m zipfile -c "$out/$archive" "$name")
    fi
    ;;
  *) (cd "$stage" && tar -czf "$out/$archive" "$name") ;;
esac

if command -v sha256sum >/dev/null 2>&1; then
  sum=$(sha256sum "$out/$archive")
else
  sum=$(shasum -a 256 "$out/$archive")
fi
echo "${sum%% *}  $archive" > "$out/$archive.sha256"
echo "release-archive: $out/$archive"
cat "$out/$archive.sha256"
