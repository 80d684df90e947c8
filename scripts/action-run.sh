#!/usr/bin/env bash
# The body of the GitHub Action (action.yml): run guidelint once, print annotations, write the
# job summary and the outputs, and fail according to `fail-on`.
#
# Inputs arrive as environment variables (never interpolated into the script, so a crafted
# input cannot become shell code). Article text is untrusted: the annotations guidelint prints
# escape it, and the human-readable log is printed between `::stop-commands::` markers with a
# random token, so nothing in it is read as a workflow command.
set -uo pipefail

bin="$RUNNER_TEMP/guidelint-bin/bin/guidelint"
[ -x "$bin" ] || bin="$RUNNER_TEMP/guidelint-bin/bin/guidelint.exe"
work="$RUNNER_TEMP/guidelint-$$"
mkdir -p "$work"

# A fresh checkout has nothing to reuse, and the cache folder must not land in the workspace.
args=(check --format concise --color never --no-cache
  --report-file "github=$work/annotations.txt"
  --json-file "$work/report.json"
  --summary-file "$GITHUB_STEP_SUMMARY")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  args+=(--sarif-file "$INPUT_SARIF_FILE")
  echo "sarif-file=$INPUT_SARIF_FILE" >> "$GITHUB_OUTPUT"
fi

changed="${INPUT_CHANGED_ONLY:-auto}"
if [ "$changed" = auto ]; then
  case "${EVENT_NAME:-}" in
    pull_request|pull_request_target) changed=true ;;
    *) changed=false ;;
  esac
fi
if [ "$changed" = true ]; then
  if [ -n "${BASE_SHA:-}" ] && { git cat-file -e "$BASE_SHA^{commit}" 2>/dev/null || git fetch --no-tags --depth=1 origin "$BASE_SHA" >/dev/null 2>&1; }; then
    args+=(--changed-since "$BASE_SHA")
  else
    echo "guidelint: no base commit to compare with; checking every file"
  fi
fi

# shellcheck disable=SC2206 # word splitting of the extra arguments is intended
extra=(${INPUT_ARGS:-})
read -r -a paths <<< "$(echo "${INPUT_PATHS:-.}" | tr '\n' ' ')"
[ ${#paths[@]} -gt 0 ] || paths=(.)

"$bin" "${args[@]}" "${extra[@]}" -- "${paths[@]}" > "$work/log.txt" 2>&1
code=$?

# The log holds article text: print it with workflow commands switched off.
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "::stop-commands::$token"
cat "$work/log.txt"
echo "::$token::"

# The annotations are escaped by guidelint and meant to be read as commands.
[ -f "$work/annotations.txt" ] && cat "$work/annotations.txt"

errors=0
warnings=0
if [ -f "$work/report.json" ]; then
  read -r errors warnings < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["error"], s["warning"])' "$work/report.json")
fi
echo "errors=$errors" >> "$GITHUB_OUTPUT"
echo "warnings=$warnings" >> "$GITHUB_OUTPUT"

if [ "$code" -ge 2 ]; then
  echo "::error title=guidelint::guidelint could not check every file (exit code $code); see the log above"
  exit "$code"
fi
if [ "$errors" -gt 0 ] || { [ "${INPUT_FAIL_ON:-error}" = warning ] && [ "$warnings" -gt 0 ]; }; then
  exit 1
fi
exit 0
