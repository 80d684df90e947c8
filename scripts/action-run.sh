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

# The counts, from the JSON report. It is written pretty: the summary's fields are the only
# lines indented by four spaces between `  "summary": {` and the next `  }`, and text from
# articles sits inside strings, which never span lines. awk comes with every runner image;
# python3 does not.
errors=
warnings=
if [ -f "$work/report.json" ]; then
  read -r errors warnings < <(awk '
    /^  "summary": \{$/ { inside = 1; next }
    inside && /^  \}/ { inside = 0 }
    inside && /^    "error": [0-9]+,?$/ { e = $2 + 0; has_e = 1 }
    inside && /^    "warning": [0-9]+,?$/ { w = $2 + 0; has_w = 1 }
    END { if (has_e && has_w) print e, w }' "$work/report.json" 2>/dev/null) || true
fi
case "$errors" in '' | *[!0-9]*) errors= ;; esac
case "$warnings" in '' | *[!0-9]*) warnings= ;; esac
if [ -n "$errors" ] && [ -n "$warnings" ]; then
  echo "errors=$errors" >> "$GITHUB_OUTPUT"
  echo "warnings=$warnings" >> "$GITHUB_OUTPUT"
else
  echo "::warning title=guidelint::could not read the number of findings from the JSON report; guidelint's exit code ($code) decides"
fi

# guidelint's exit code decides first: the counts only add `fail-on: warning`.
if [ "$code" -ge 2 ]; then
  echo "::error title=guidelint::guidelint could not check every file (exit code $code); see the log above"
  exit "$code"
fi
if [ "$code" -ne 0 ] || [ "${errors:-0}" -gt 0 ]; then
  exit 1
fi
if [ "${INPUT_FAIL_ON:-error}" = warning ]; then
  if [ -z "$warnings" ]; then
    echo "::error title=guidelint::fail-on is warning, but the number of warnings is unknown"
    exit 1
  fi
  [ "$warnings" -gt 0 ] && exit 1
fi
exit 0
