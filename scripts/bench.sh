#!/usr/bin/env bash
# Benchmark guidelint against what users would run instead, on generated guides and on real
# Markdown trees nobody wrote for guidelint.
#
#   scripts/bench.sh [TREE ...]         (default: 1000 10000 100000 legacy:100000)
#   scripts/bench.sh --page-in DIR...   (read the files under DIR... into the page cache)
#   scripts/bench.sh --rule-costs TREE  (the cost of each rule on one tree, see below)
#
# A TREE is a number N (a guide of N articles written by examples/gen_corpus.rs, cached in
# target/bench/), `legacy:N` (the generator's legacy profile: most articles have findings) or a
# folder (any documentation tree, e.g. a repository you have checked out). Every folder in
# ../shared/corpora/ is benchmarked too when it exists (set BENCH_CORPORA to another folder of
# trees, or to an empty string to skip them).
#
# For each tree it times, side by side in rounds (the commands in turn, see below): guidelint
# with all default rules (cold: every file read and checked, --no-cache, the concise report;
# and again with the default human report, which renders every finding), guidelint with a
# warm result cache, `rg -c '^#'` over the same Markdown files (the floor: reading every
# file), the parsers alone (examples/parser_floor.rs: the same walk and reads, then only
# saphyr's events over the front matter and pulldown-cmark's over the text, no rule), the
# libraries alone (the same, plus the front matter validated by jsonschema), and,
# when they are on PATH, rumdl (PyPI, `--no-cache`), and on generated guides of up to 10,000
# articles markdownlint-cli2 (npm) and check-jsonschema (PyPI) on the front matter extracted
# to YAML files. It writes target/bench/results.md: one table per tree with the median wall
# time, CPU time (user+sys), peak RSS (GNU time), files/s and the ratio to ripgrep, with the
# machine it ran on. hyperfine and GNU time come from Debian's packages
# (`apt install hyperfine time`).
#
# `--rule-costs TREE` times the cold check with all default rules against the same check with
# each rule left out (`--ignore RULE`), in rounds, and prints each rule's share of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
# `bench.sh --page-in DIR...`: read every file under DIR... (into the page cache) and stop.
if [ "${1:-}" = --page-in ]; then
  shift
  find "$@" -type f -print0 2>/dev/null | xargs -0 -r cat >/dev/null || true
  exit 0
fi
rule_costs=
if [ "${1:-}" = --rule-costs ]; then
  rule_costs=1
  shift
fi
trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=(1000 10000 100000 legacy:100000)
if [ -z "$rule_costs" ]; then
  corpora=${BENCH_CORPORA-../shared/corpora}
  if [ -n "$corpora" ] && [ -d "$corpora" ]; then
    for d in "$corpora"/*/; do trees+=("${d%/}"); done
  fi
fi
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt install hyperfine)" >&2; exit 1; }

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example gen_corpus --example parser_floor
bin=$(pwd)/target/release/guidelint
gen=target/release/examples/gen_corpus
floor=$(pwd)/target/release/examples/parser_floor
out=target/bench/results.md
mkdir -p target/bench

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
{
  echo "Machine: $(nproc) cores ${cpu:+($cpu)}, $(free -g 2>/dev/null | awk '/Mem:/ {print $2 " GiB"}'), $(uname -sr)."
  echo "guidelint $($bin --version | cut -d' ' -f2); $(command -v rg >/dev/null && rg --version 2>/dev/null | head -1)"
  # The peers' versions: their speed changes between releases.
  for tool in rumdl markdownlint-cli2 check-jsonschema; do
    if command -v "$tool" >/dev/null; then
      echo "$tool: $("$tool" --version 2>/dev/null | head -1)"
    fi
  done | paste -sd ';' - | sed 's/;/; /g'
  echo
} > "$out"

# Time commands in rounds: one hyperfine run per round with one run of each command.
# hyperfine alone runs all runs of one command before the next one's, so a drift of the
# machine's speed between two blocks would look like a difference between two commands. Here
# the commands' order is rotated by one each round and reversed every other round (so that no
# command always follows the same one, e.g. rumdl's 2 GiB run); the rounds' results are merged
# into OUT, a hyperfine JSON file with the commands in the order given (median over all runs,
# mean user and system times).
#   in_rounds OUT ROUNDS WARMUP COMMAND...
# When the array PREPARE is set, PREPARE[i] runs before each run of COMMAND i (in a shell).
# Before every run, the files under the folders in the array RESIDENT are read (untimed), so
# that each command finds them in the page cache: some machines page out what was not read
# for a while (here a DAMON "pageout" scheme does so after about a minute), and a run that
# meets those files on disk would time the disk, not the tool (see `--page-in` above).
in_rounds() {
  local out=$1 runs=$2 warmup=$3
  shift 3
  local commands=("$@") k=$# r i json files=() scripts=()
  # Each command's preparation as a script, so that hyperfine can run it without a shell.
  for ((i = 0; i < k; i++)); do
    scripts+=("$out.prepare-$i")
    {
      if [ ${#RESIDENT[@]} -gt 0 ]; then printf 'bash scripts/bench.sh --page-in'; printf " '%s'" "${RESIDENT[@]}"; echo; fi
      echo "${PREPARE[$i]:-true}"
    } >"${scripts[$i]}"
  done
  for ((r = 0; r < runs; r++)); do
    local order=() args=()
    for ((i = 0; i < k; i++)); do
      if ((r % 2 == 0)); then order+=($(( (i + r) % k ))); else order=($(( (i + r) % k )) "${order[@]}"); fi
    done
    for i in "${order[@]}"; do args+=("${commands[$i]}"); done
    for i in "${order[@]}"; do args+=(--prepare "bash ${scripts[$i]}"); done
    json=$out.round-$r
    # Without a shell where the commands allow it (shell-words splitting), else through one.
    # (hyperfine does not truncate the file it exports to: a shorter second attempt would
    # leave the end of the first behind.)
    rm -f "$json"
    hyperfine --warmup "$((r == 0 ? warmup : 0))" --runs 1 -N --ignore-failure "${args[@]}" \
      --export-json "$json" >/dev/null 2>"$json.err" || {
      rm -f "$json"
      hyperfine --warmup "$((r == 0 ? warmup : 0))" --runs 1 --ignore-failure "${args[@]}" \
        --export-json "$json" >/dev/null 2>&1
    }
    files+=("$json")
  done
  python3 - "$out" "${files[@]}" <<'PY'
import json, statistics, sys
merged = {}
for path in sys.argv[2:]:
    for r in json.load(open(path))["results"]:
        m = merged.setdefault(r["command"], {"command": r["command"], "times": [], "user": [], "system": []})
        m["times"] += r["times"]
        m["user"].append(r["user"])
        m["system"].append(r["system"])
results = [{"command": m["command"], "times": m["times"],
            "median": statistics.median(m["times"]), "mean": statistics.mean(m["times"]),
            "user": statistics.mean(m["user"]), "system": statistics.mean(m["system"])}
           for m in merged.values()]
json.dump({"results": results}, open(sys.argv[1], "w"), indent=1)
PY
  rm -f "${files[@]}" "${scripts[@]}"
}
PREPARE=()
RESIDENT=()

# The Markdown files of a tree, as guidelint's discovery and ripgrep's glob see them.
count_files() { find "$1" -type f \( -name '*.md' -o -name '*.markdown' \) | wc -l; }

# Make the generated guide SPEC (N or legacy:N) under target/bench/ and print its folder. A
# guide made by another version of the generator is made again (with what derives from it).
generated() {
  local spec=$1 n=${1#legacy:} corpus made_by
  local flags=()
  corpus=target/bench/corpus-$n
  if [ "$spec" != "$n" ]; then corpus=target/bench/legacy-$n; flags=(--legacy); fi
  made_by=$(sha256sum examples/gen_corpus.rs | cut -d' ' -f1)
  if [ ! -d "$corpus" ] || [ "$(cat "$corpus.generator" 2>/dev/null)" != "$made_by" ]; then
    rm -rf "$corpus" "$corpus.frontmatter"
    "$gen" "$corpus" "$n" "${flags[@]}" >&2
    echo "$made_by" >"$corpus.generator"
  fi
  echo "$corpus"
}

# Resolve a TREE argument to: its folder, its label, and whether it was generated.
resolve() {
  case "$1" in
    legacy:[0-9]*) tree=$(generated "$1"); label="generated legacy guide"; made=1 ;;
    [0-9]*) tree=$(generated "$1"); label="generated guide"; made=1 ;;
    *)
      [ -d "$1" ] || { echo "bench: $1 is not a folder, a number or legacy:N" >&2; exit 1; }
      tree=$1; label=$(basename "$1"); made= ;;
  esac
  files=$(count_files "$tree")
}

cold() { echo "$bin check -q --no-config --no-cache --format concise $1"; }

if [ -n "$rule_costs" ]; then
  [ ${#trees[@]} -eq 1 ] || { echo "bench: --rule-costs takes one tree" >&2; exit 1; }
  resolve "${trees[0]}"
  mapfile -t rules < <("$bin" rules --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["default"] != "off":
        print(r["name"])')
  # The run with all rules is timed between every few rules' runs (its times are pooled), so
  # that it is measured as often and in as many places of a round as the rules together:
  # timed once per round, one early or late place made every rule look cheaper or dearer.
  cmds=("$(cold "$tree")") kept=() n=0
  for r in "${rules[@]}"; do
    # A rule that cannot be left out (internal-error: always on) is not a rule's cost.
    rc=0
    "$bin" check -q --no-config --no-cache --format concise --ignore "$r" "$tree" >/dev/null 2>&1 || rc=$?
    [ "$rc" -le 1 ] || continue
    kept+=("$r")
    cmds+=("$bin check -q --no-config --no-cache --format concise --ignore $r $tree")
    n=$((n + 1))
    if ((n % 3 == 0)); then cmds+=("$(cold "$tree")"); fi
  done
  rules=("${kept[@]}")
  RESIDENT=("$tree")
  in_rounds target/bench/hyperfine-rules.json 15 1 "${cmds[@]}"
  # Instructions (one thread, callgrind) do not vary with the machine's load as a 15 ms run's
  # wall time does (several per cent between identical runs, more on a busy machine): they
  # move by about 0.2 % between identical runs (hash seeds), so a share under 1 % is noise.
  counts=target/bench/instructions-rules.txt
  : >"$counts"
  if command -v valgrind >/dev/null; then
    for r in "" "${rules[@]}"; do
      ignore=()
      [ -z "$r" ] || ignore=(--ignore "$r")
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" check -q --no-config \
        --no-cache --jobs 1 --format concise "${ignore[@]}" "$tree" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p' >>"$counts" || true # exit 1: findings
    done
  fi
  python3 - target/bench/hyperfine-rules.json "$label ($files files)" "$counts" "${rules[@]}" <<'PY'
import json, sys
# Results are merged by command: the run with all rules (timed several times a round) is
# the first, then each rule in order.
data = json.load(open(sys.argv[1]))["results"]
label, counts, rules = sys.argv[2], sys.argv[3], sys.argv[4:]
assert len(data) == len(rules) + 1, (len(data), len(rules))
full = data[0]["median"]
instructions = [int(n) for n in open(counts).read().split()]
if len(instructions) != len(rules) + 1:
    instructions = None
print(f"Rule costs on {label}: all rules {full*1000:,.1f} ms (median)", end="")
if instructions:
    print(f", {instructions[0] / 1e6:,.1f} M instructions (one thread)", end="")
print(".\nEach rule's share is what leaving it out saves, over the run with all rules.\n")
head = "| Rule | Without it | Share of the wall time |"
rule = "| --- | ---: | ---: |"
if instructions:
    head += " Instructions without it | Share of the instructions |"
    rule += " ---: | ---: |"
print(head)
print(rule)
rows = list(zip(rules, data[1:], instructions[1:] if instructions else [None] * len(rules)))
rows.sort(key=lambda x: x[2] if instructions else x[1]["median"])
for name, r, n in rows:
    line = f"| {name} | {r['median']*1000:,.1f} ms | {(full - r['median']) / full * 100:+.1f} % |"
    if instructions:
        line += f" {n / 1e6:,.1f} M | {(instructions[0] - n) / instructions[0] * 100:+.1f} % |"
    print(line)
PY
  exit 0
fi

for spec in "${trees[@]}"; do
  resolve "$spec"
  names=(guidelint guidelint-human guidelint-warm)
  yamls=
  cache=target/bench/cache-$(echo "$tree" | tr '/.' '__')
  rm -rf "$cache"
  # guidelint-human: the same cold check with the default report (source lines and labels
  # for every finding), what a writer runs in a terminal.
  cmds=("$(cold "$tree")"
        "$bin check --no-config --no-cache $tree"
        "$bin check -q --no-config --cache-dir $cache --format concise $tree")
  if command -v rg >/dev/null; then names+=(ripgrep); cmds+=("rg -c -g '*.md' -g '*.markdown' '^#' $tree"); fi
  names+=(parsers-only); cmds+=("$floor parsers $tree")
  names+=(libraries-only); cmds+=("$floor deps $tree")
  if command -v rumdl >/dev/null; then names+=(rumdl); cmds+=("rumdl check --no-cache --no-config -q $tree"); fi
  # The JavaScript and Python tools take minutes on the largest guides: up to 10,000 only.
  if [ -n "$made" ] && command -v markdownlint-cli2 >/dev/null && [ "$files" -le 10000 ]; then names+=(markdownlint-cli2); cmds+=("markdownlint-cli2 '$tree/**/*.md'"); fi
  if [ -n "$made" ] && command -v check-jsonschema >/dev/null && [ "$files" -le 10000 ]; then
    yamls=$tree.frontmatter
    if [ ! -d "$yamls" ]; then
      mkdir -p "$yamls"
      python3 - "$tree" "$yamls" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for f in files:
        text = open(os.path.join(root, f), encoding="utf-8").read()
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            fm = text[4:text.index("\n---\n", 4) + 1]
            open(os.path.join(dst, f.replace(".md", ".yml")), "w").write(fm)
PY
    fi
    names+=(check-jsonschema)
    cmds+=("sh -c 'ls $yamls | sed \"s|^|$yamls/|\" | xargs check-jsonschema --schemafile schemas/article.schema.json'")
  fi
  # Slow tools get fewer runs on big trees.
  runs=10
  [ "$files" -ge 100000 ] && runs=5
  findings=$({ "$bin" check --no-config --no-cache --format json "$tree" 2>/dev/null || true; } |
    python3 -c "import json, sys; print(format(len(json.load(sys.stdin)['diagnostics']), ','))" 2>/dev/null || echo "?")
  echo "== $label: $tree ($files files, $(du -sh "$tree" | cut -f1), $findings findings)"
  # The tree and the warm run's cache are read before every timed run (see in_rounds).
  RESIDENT=("$tree" "$cache")
  if [ -n "$yamls" ]; then RESIDENT+=("$yamls"); fi
  json=target/bench/hyperfine-$(basename "$tree").json
  in_rounds "$json" "$runs" 1 "${cmds[@]}"
  rss=()
  for c in "${cmds[@]}"; do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -o target/bench/rss -f '%M' sh -c "$c >/dev/null 2>&1" || true
      kib=$(tail -1 target/bench/rss)
      rss+=("$((kib / 1024))")
    else
      rss+=("?")
    fi
  done
  python3 - "$json" "$files" "${names[*]}" "${rss[*]}" "$label" "$tree" "$findings" >> "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2]); names = sys.argv[3].split(); rss = sys.argv[4].split()
label, tree, findings = sys.argv[5], sys.argv[6], sys.argv[7]
floor = next((r["median"] for name, r in zip(names, data) if name == "ripgrep"), None)
print(f"### {label}: {n:,} files, {findings} findings (`{tree}`)\n")
print("| Tool | Median wall | CPU (user+sys) | CPU / wall | Peak RSS | Files/s | vs ripgrep |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, r, m in zip(names, data, rss):
    ratio = f"{r['median'] / floor:.1f}×" if floor else "–"
    cpu = r["user"] + r["system"]
    print(f"| {name} | {r['median']*1000:,.1f} ms | {cpu*1000:,.0f} ms | {cpu / r['median']:.2f} | {m} MiB | {n / r['median']:,.0f} | {ratio} |")
print()
PY
  tail -n $(( ${#names[@]} + 4 )) "$out"
  # Generated guides only: the first run with an empty cache, and --fix.
  [ -n "$made" ] || continue
  first=target/bench/cache-first
  # Against the run without a cache, in the same rounds.
  PREPARE=("true" "rm -rf '$first'")
  RESIDENT=("$tree")
  in_rounds target/bench/hyperfine-first.json 3 0 "$(cold "$tree")" \
    "$bin check -q --no-config --cache-dir $first --format concise $tree" || true
  PREPARE=()
  first_rss="?"
  if [ -x /usr/bin/time ]; then
    rm -rf "$first"
    /usr/bin/time -o target/bench/rss -f '%M' sh -c "$bin check -q --no-config --cache-dir $first --format concise $tree >/dev/null 2>&1" || true
    first_rss=$(( $(tail -1 target/bench/rss) / 1024 ))
  fi
  rm -rf "$first"
  python3 - target/bench/hyperfine-first.json "$files" "$first_rss" >> "$out" <<'PY'
import json, sys
try:
    cold, first = json.load(open(sys.argv[1]))["results"]
except Exception:
    sys.exit(0)
print(f"First run with an empty cache on {int(sys.argv[2]):,} articles: "
      f"{first['median']*1000:,.0f} ms ({first['median'] / cold['median']:.2f}× the run "
      f"without a cache, in rounds of their own), peak RSS {sys.argv[3]} MiB.\n")
PY
  tail -n 2 "$out"
  # --fix against a plain check, both on a fresh copy of the guide.
  if [ "$files" -le 10000 ]; then
    copy=target/bench/fix-copy
    # Synced: otherwise the first fixed file synced would wait for the whole fresh copy to be
    # written back (its journal commit holds the copy's files), which no user's guide pays.
    PREPARE=("rm -rf '$copy' && cp -r '$tree' '$copy' && sync" "rm -rf '$copy' && cp -r '$tree' '$copy' && sync")
    # The copy is made right before each run: in the page cache already.
    RESIDENT=()
    in_rounds target/bench/hyperfine-fix.json 5 0 "$(cold "$copy")" \
      "$bin check -q --no-config --fix --format concise $copy" || true
    PREPARE=()
    python3 - target/bench/hyperfine-fix.json "$files" >> "$out" <<'PY'
import json, sys
try:
    check, fix = json.load(open(sys.argv[1]))["results"]
except Exception:
    sys.exit(0)
print(f"`--fix` on {int(sys.argv[2]):,} articles: {fix['median']*1000:,.0f} ms against "
      f"{check['median']*1000:,.0f} ms for the same check without fixing "
      f"({fix['median'] / check['median']:.2f}×).\n")
PY
    rm -rf "$copy"
    tail -n 2 "$out"
  fi
done
echo "bench: results in $out"
