#!/usr/bin/env bash
# Benchmark guidelint against what users would run instead, on synthetic production guides.
#
#   scripts/bench.sh [N ...]            (default: 1000 10000 100000)
#   scripts/bench.sh --page-in DIR...   (read the files under DIR... into the page cache)
#
# For each N it generates a corpus with examples/gen_corpus.rs (cached in target/bench/), then
# times, side by side in one run of hyperfine rounds (the commands in turn, see below): guidelint (cold: every file read and checked,
# --no-cache), guidelint with a warm result cache,
# `rg -c '^#'` over the same tree (the floor: reading every file), the parsers alone
# (examples/parser_floor.rs: the same walk and reads, then only saphyr's events over the front
# matter and pulldown-cmark's over the text, no rule), and, when they are on PATH,
# rumdl (PyPI, `--no-cache`), and up to 10,000 articles markdownlint-cli2 (npm) and
# check-jsonschema (PyPI) on the front matter extracted to YAML files. It writes target/bench/results.md: median wall time,
# CPU time, peak RSS (GNU time), files/s and the ratio to ripgrep, with the machine it ran on.
# hyperfine and GNU time come from Debian's packages (`apt install hyperfine time`).
set -euo pipefail
cd "$(dirname "$0")/.."
# `bench.sh --page-in DIR...`: read every file under DIR... (into the page cache) and stop.
if [ "${1:-}" = --page-in ]; then
  shift
  find "$@" -type f -print0 2>/dev/null | xargs -0 -r cat >/dev/null || true
  exit 0
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
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
    hyperfine --warmup "$((r == 0 ? warmup : 0))" --runs 1 -N --ignore-failure "${args[@]}" \
      --export-json "$json" >/dev/null 2>&1 || \
      hyperfine --warmup "$((r == 0 ? warmup : 0))" --runs 1 --ignore-failure "${args[@]}" \
        --export-json "$json" >/dev/null 2>&1
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

for n in "${sizes[@]}"; do
  corpus=target/bench/corpus-$n
  # A corpus made by another version of the generator is made again (with what derives from it).
  made_by=$(sha256sum examples/gen_corpus.rs | cut -d' ' -f1)
  if [ ! -d "$corpus" ] || [ "$(cat "$corpus.generator" 2>/dev/null)" != "$made_by" ]; then
    rm -rf "$corpus" "target/bench/frontmatter-$n"
    "$gen" "$corpus" "$n"
    echo "$made_by" >"$corpus.generator"
  fi
  names=(guidelint guidelint-warm)
  yamls=
  rm -rf "target/bench/cache-$n"
  cmds=("$bin check -q --no-config --no-cache --format concise $corpus"
        "$bin check -q --no-config --cache-dir target/bench/cache-$n --format concise $corpus")
  if command -v rg >/dev/null; then names+=(ripgrep); cmds+=("rg -c '^#' $corpus"); fi
  names+=(parsers-only); cmds+=("$floor parsers $corpus")
  if command -v rumdl >/dev/null; then names+=(rumdl); cmds+=("rumdl check --no-cache --no-config -q $corpus"); fi
  # The JavaScript and Python tools take minutes on the largest corpus: up to 10,000 only.
  if command -v markdownlint-cli2 >/dev/null && [ "$n" -le 10000 ]; then names+=(markdownlint-cli2); cmds+=("markdownlint-cli2 '$corpus/**/*.md'"); fi
  if command -v check-jsonschema >/dev/null && [ "$n" -le 10000 ]; then
    yamls=target/bench/frontmatter-$n
    if [ ! -d "$yamls" ]; then
      mkdir -p "$yamls"
      python3 - "$corpus" "$yamls" <<'PY'
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
  # Slow tools get fewer runs on big corpora.
  runs=10
  [ "$n" -ge 100000 ] && runs=5
  echo "== $n articles ($(du -sh "$corpus" | cut -f1))"
  # The corpus and the warm run's cache are read before every timed run (see in_rounds).
  RESIDENT=("$corpus" "target/bench/cache-$n")
  if [ -n "$yamls" ]; then RESIDENT+=("$yamls"); fi
  in_rounds "target/bench/hyperfine-$n.json" "$runs" 1 "${cmds[@]}"
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
  python3 - "target/bench/hyperfine-$n.json" "$n" "${names[*]}" "${rss[*]}" >> "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2]); names = sys.argv[3].split(); rss = sys.argv[4].split()
floor = next((r["median"] for name, r in zip(names, data) if name == "ripgrep"), None)
print(f"### {n:,} articles\n")
print("| Tool | Median wall | CPU (user+sys) | Peak RSS | Files/s | vs ripgrep |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, r, m in zip(names, data, rss):
    ratio = f"{r['median'] / floor:.1f}×" if floor else "–"
    cpu = r["user"] + r["system"]
    print(f"| {name} | {r['median']*1000:,.0f} ms | {cpu*1000:,.0f} ms | {m} MiB | {n / r['median']:,.0f} | {ratio} |")
print()
PY
  tail -n +1 "$out" | tail -n $(( ${#names[@]} + 4 ))
  # The default run on a guide never checked before: the cache is on and empty, so every
  # file is checked, hashed and recorded, and the cache file written.
  first=target/bench/cache-first-$n
  # Against the run without a cache, in the same rounds.
  PREPARE=("true" "rm -rf '$first'")
  RESIDENT=("$corpus")
  in_rounds "target/bench/hyperfine-first-$n.json" 3 0 \
    "$bin check -q --no-config --no-cache --format concise $corpus" \
    "$bin check -q --no-config --cache-dir $first --format concise $corpus" || true
  PREPARE=()
  first_rss="?"
  if [ -x /usr/bin/time ]; then
    rm -rf "$first"
    /usr/bin/time -o target/bench/rss -f '%M' sh -c "$bin check -q --no-config --cache-dir $first --format concise $corpus >/dev/null 2>&1" || true
    first_rss=$(( $(tail -1 target/bench/rss) / 1024 ))
  fi
  rm -rf "$first"
  python3 - "target/bench/hyperfine-first-$n.json" "$n" "$first_rss" >> "$out" <<'PY'
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
  # --fix against a plain check, both on a fresh copy of the corpus (about 10 % of the
  # articles have a defect, most of them fixable).
  if [ "$n" -le 10000 ]; then
    copy=target/bench/fix-copy
    # Synced: otherwise the first fixed file synced would wait for the whole fresh copy to be
    # written back (its journal commit holds the copy's files), which no user's guide pays.
    PREPARE=("rm -rf '$copy' && cp -r '$corpus' '$copy' && sync" "rm -rf '$copy' && cp -r '$corpus' '$copy' && sync")
    # The copy is made right before each run: in the page cache already.
    RESIDENT=()
    in_rounds "target/bench/hyperfine-fix-$n.json" 5 0 \
      "$bin check -q --no-config --no-cache --format concise $copy" \
      "$bin check -q --no-config --fix --format concise $copy" || true
    PREPARE=()
    python3 - "target/bench/hyperfine-fix-$n.json" "$n" >> "$out" <<'PY'
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
