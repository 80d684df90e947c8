#!/usr/bin/env bash
# Time and memory of guidelint on each adversarial input, one process per file: each must finish
# under MAX_MS milliseconds (default 100) and MAX_MB megabytes of peak RSS (default 50).
# Inputs made to give tens of thousands of findings (repeated headings, heading jumps, residue
# lines, tag items, distinct tags, alias items, 100,000 sections with a stage each, 100,000 or
# 50,000 headings to fix, a flow list, a repeated key) are checked in the concise and the human
# format and fixed, under MANY_MS (default 2500) and MANY_MB (default 150): work that grows with
# the square of the findings (or of the values of a field, the sections, the lines fixed) shows
# there. The same limits hold for files of suppression comments just under the 10 MiB size
# limit, configurations with many, or many large, scrape-residue patterns, one with as many
# globs and overrides as allowed, over 2,000 files, and a taxonomy of 50,000 short and 50 long
# terms with an article of 3,010 unknown tags to suggest terms for. A file of 1,000,000
# headings (in the concise, SARIF and human formats, without the cache) and a taxonomy whose
# 100,000 terms form one parent chain get HUGE_MS (default 2500) and HUGE_MB (default 250):
# parsing them alone takes 70 and 120 MiB.
#
#   scripts/adversarial.sh [path/to/guidelint]     (default: target/release/guidelint)
#
# Articles with a megabyte of tag value, of heading, of context line and of block text, and with
# labels 100,000 lines apart, are checked in every output format (MAX_MS, MAX_MB). So are the
# files a run reads besides articles, each of which must give exit code 2 (a clear error, never
# a panic or a hang): an error past column 65,535 in a configuration, a schema and a taxonomy, a
# schema of one 4 MB line, a sparse gigabyte as each kind of file, a named pipe and /dev/zero as
# a configuration, configurations of 50,000 globs and of 5,000 overrides, and a named pipe and
# /dev/zero named as articles (failure entries).
#
# An article that aliases a megabyte 3,000 times must stop at the limit on copies (MAX_MS, MAX_MB).
# Articles whose front matter fills the 10 MiB size limit, with tiny values (keys, mappings, flow
# lists, accented keys with comments) or 90,000 unknown keys of 100 bytes, and one with anchors
# nested 60 deep around 99,000 values, must take at most LARGE_MB (default 150: 15 times the
# file) and LARGE_MS (default 1000); those filled by one accented value, at most MAX_MB and
# LARGE_MS.
#
# Needs GNU time (/usr/bin/time); skipped without it. Inputs too large to commit are made in a
# temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/guidelint}
max_ms=${MAX_MS:-100}
max_mb=${MAX_MB:-50}
many_ms=${MANY_MS:-2500}
many_mb=${MANY_MB:-150}
huge_ms=${HUGE_MS:-2500}
huge_mb=${HUGE_MB:-250}
large_ms=${LARGE_MS:-1000}
large_mb=${LARGE_MB:-150}
if [ ! -x /usr/bin/time ]; then
  echo "adversarial: /usr/bin/time not found, skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import os, sys
d = sys.argv[1]
with open(os.path.join(d, "fifty-megabytes.md"), "wb") as f:
    f.truncate(50 * 1024 * 1024)
fm = "---\ntitle: Long line\ndescription: How to mix vocals in a busy arrangement.\ngenre: [all]\nstage: [mixing]\ninstrument: [vocals]\nlevel: [beginner]\n---\n"
open(os.path.join(d, "one-megabyte-line.md"), "w").write(fm + "# Mixing\n" + "word " * 210_000 + "\n")
open(os.path.join(d, "one-megabyte-title.md"), "w").write(fm.replace("Long line", "x" * (1 << 20)) + "# Mixing\nText.\n")
# A megabyte anchored once and aliased 3,000 times: stopped at 10 MiB of copies.
open(os.path.join(d, "megabyte-aliases.md"), "w").write(
    fm.replace("genre: [all]", "genre: [all]\nbig: &a " + "x" * (1 << 20) + "\nmore:" + "\n  - *a" * 3000) + "# Mixing\nText.\n")
os.mkdir(os.path.join(d, "many"))
many = lambda name, text: open(os.path.join(d, "many", name), "w").write(text)
many("repeated-headings.md", fm + "# Mixing\n" * 20_000)
many("heading-jumps.md", fm + "# Mixing\n### EQ\n" * 10_000)
many("residue-lines.md", fm + "# Mixing\n" + "Instagram\n\n" * 20_000)
many("tag-items.md", fm.replace("stage: [mixing]", "stage:\n" + "  - Mixing\n" * 30_000))
many("repeated-keys.md", fm.replace("genre: [all]\n", "genre: [all]\n" * 30_000))
many("flow-list.md", fm.replace("stage: [mixing]", "stage: [" + ", ".join(["Mixing"] * 30_000) + "]"))
distinct = "".join(f"  - unk{i}\n" for i in range(30_000))
many("distinct-tags.md", fm.replace("stage: [mixing]", "stage:\n" + distinct).replace("level: [beginner]", "level:\n" + distinct)
     .replace("genre: [all]", "genre:\n  - all\n" + distinct))
many("alias-items.md", fm.replace("stage: [mixing]", "x: &a Mixing\nstage:\n  - mixing\n" + "  - *a\n" * 60_000))
many("stage-sections.md", fm + "".join(f"# Part {i}\n## Mixing\n" for i in range(100_000)))
# Fixes that change 100,000 and 50,000 heading lines: one raising every section after a jump
# (an unsafe fix), and one per misspelt stage label.
many("raised-sections.md", fm + "# Mixing\n" + "".join(f"### Part {i}\nText.\n" for i in range(100_000)))
many("stage-labels.md", fm + "".join(f"# Part {i}\n## Sound Design\nText.\n" for i in range(50_000)))
# Findings on a megabyte of text, shown in every format.
os.mkdir(os.path.join(d, "huge"))
huge = lambda name, text: open(os.path.join(d, "huge", name), "w").write(text)
mega = 1 << 20
huge("tag-value.md", fm.replace("[vocals]", "[" + "v" * mega + "]"))
huge("heading.md", fm + "#### " + "h" * mega + "\n")
huge("context-line.md", fm.replace("genre: [all]", "# " + "c" * mega + "\ngenre: [alll]"))
huge("block-text.md", fm.replace("description: How to mix vocals in a busy arrangement.", "description: |\n  first\n  " + "d" * mega + "\n  last"))
huge("far-labels.md", fm.replace("level: [beginner]", "level: [beginner]\n" + "#\n" * 100_000 + "level: [advanced]"))
# The files a run reads besides articles.
os.mkdir(os.path.join(d, "tool"))
tool = lambda name, text: open(os.path.join(d, "tool", name), "w").write(text)
pad = " " * 70_000
tool("a.md", fm + "# Mixing\nText.\n")
tool("far-config.yml", "rules: {" + pad + "heading-incremnt: off}\n")
tool("far-schema.json", '{"type": "object", "description": "' + "x" * 70_000 + '", }')
tool("far-schema.yml", "schema: far-schema.json\n")
tool("far-taxonomy.yml", "facets: {" + pad + "stage: 3}\n")
tool("far-taxonomy-config.yml", "taxonomy: far-taxonomy.yml\n")
tool("long-schema.json", '{"type": "object",, "description": "' + "x" * (4 << 20) + '"}')
tool("long-schema.yml", "schema: long-schema.json\n")
for name in ["sparse.yml", "sparse.json", "sparse-taxonomy.yml", "sparse-baseline.json"]:
    with open(os.path.join(d, "tool", name), "wb") as f:
        f.truncate(1 << 30)
tool("sparse-taxonomy-config.yml", "taxonomy: sparse-taxonomy.yml\n")
# More globs and overrides than allowed: refused at the first one too many.
tool("many-globs.yml", "exclude:\n" + "".join(f"  - 'docs/d{i}/*.md'\n" for i in range(50_000)))
tool("many-overrides.yml", "overrides:\n" + "".join(
    f"  - files: ['d{i}/*.md']\n    rules: {{section-empty: off}}\n" for i in range(5_000)))
os.mkfifo(os.path.join(d, "tool", "pipe.yml"))
os.mkfifo(os.path.join(d, "tool", "pipe.md"))
limit = 10 * 1024 * 1024 - 1024
pair = "<!-- guidelint-disable-next-line heading-duplicate -->\n# Mixing\n"
many("suppressed-headings.md", fm + "# Mixing\n" + pair * ((limit - len(fm)) // len(pair)))
# Regions opened one rule at a time and closed by `enable` comments naming other rules.
block = "<!-- guidelint-disable heading-duplicate -->\n# Mixing\n<!-- guidelint-enable section-empty -->\n"
many("suppression-regions.md", fm + "# Mixing\n" + block * ((limit - len(fm)) // len(block)))
# A rule name of 5 MB in a comment, and 200,000 comments on one line that is not ASCII.
many("long-rule-name.md", fm + "# Mixing\n<!-- guidelint-disable-next-line " + "a" * 5_000_000 + " -->\nText.\n")
many("comments-on-one-line.md", fm + "# Mixing\né " + "<!-- guidelint-disable-next-line x -->" * 200_000 + "\nText.\n")
# One article with 1,000,000 headings.
os.mkdir(os.path.join(d, "million"))
open(os.path.join(d, "million", "million-headings.md"), "w").write(fm + "# H\n" * 1_000_000)
# A taxonomy whose 100,000 terms form one parent chain, and an article naming its deepest term.
os.mkdir(os.path.join(d, "chain"))
chain = "facets:\n  stage:\n    terms:\n      - id: t0\n" + "".join(
    f"      - id: t{i}\n        parent: t{i - 1}\n" for i in range(1, 100_000))
open(os.path.join(d, "chain", "taxonomy.yml"), "w").write(chain)
open(os.path.join(d, "chain", "guidelint.yml"), "w").write("taxonomy: taxonomy.yml\n")
open(os.path.join(d, "chain", "article.md"), "w").write(
    fm.replace("stage: [mixing]", "stage: [t0, t99999]") + "# T0\n## T99999\nText.\n## T1\nText.\n")
# A taxonomy of 50,000 terms and 50 terms of 40,000 letters, and an article of 3,000 distinct
# unknown tags as long as the short terms and 10 a letter away from long ones: suggestions.
os.mkdir(os.path.join(d, "suggest"))
long = lambda i: "x" * 39_990 + f"{i:05}"
open(os.path.join(d, "suggest", "taxonomy.yml"), "w").write(
    "facets:\n  stage:\n    terms:\n" + "".join(f"      - id: term{i:05}\n" for i in range(50_000))
    + "".join(f"      - id: {long(i)}\n" for i in range(50)))
open(os.path.join(d, "suggest", "guidelint.yml"), "w").write("taxonomy: taxonomy.yml\n")
open(os.path.join(d, "suggest", "article.md"), "w").write(fm.replace("stage: [mixing]", "stage:\n"
    + "".join(f"  - zz{i:07}\n" for i in range(3000)) + "".join(f"  - {long(i)}z\n" for i in range(10))))
# Configurations of scrape-residue patterns: 2,000 Unicode ones (refused: too many), as many as
# allowed that are each as large as allowed alone (refused: too large together), and as many as
# allowed that fit, matched against 20,000 non-ASCII lines.
prose = "Ünder the bridge, a line of prose with an accent in it.\n"
for name, count, pattern in [("many", 2000, r"\w{40}\p{L}{40}é{i}"), ("large", 200, r"\w{1,60}é{i}"),
                             ("matching", 200, r"^é{i} .{0,40} footer$")]:
    os.mkdir(os.path.join(d, name + "-patterns"))
    patterns = "".join("      - '" + pattern.replace("{i}", str(i)) + "'\n" for i in range(count))
    open(os.path.join(d, name + "-patterns", "guidelint.yml"), "w").write(
        "rules:\n  scrape-residue:\n    patterns:\n" + patterns)
    open(os.path.join(d, name + "-patterns", "article.md"), "w").write(fm + "# Mixing\n" + prose * 20_000)
# Front matter up to the size limit: `pieces` (each a few bytes), then `close`.
os.mkdir(os.path.join(d, "large"))
def large(name, pieces, close=""):
    head, body = fm[:-4], close + "---\n# Mixing\nText.\n"
    out, size = [head], len(head.encode()) + len(body.encode())
    for piece in pieces:
        size += len(piece.encode())
        if size > limit:
            break
        out.append(piece)
    open(os.path.join(d, "large", name), "w").write("".join(out) + body)
def lines(first, make):
    yield first
    i = 0
    while True:
        yield make(i)
        i += 1
large("keys.md", lines("", lambda i: f"k{i}: {i}\n"))
large("mappings.md", lines("extra:\n", lambda i: f"- a: {i}\n"))
large("flow-mappings.md", lines("extra: [", lambda i: "{a: 1}, "), "{}]\n")
large("nested-lists.md", lines("extra: [", lambda i: "[1], "), "[]]\n")
large("accented-keys.md", lines("", lambda i: f"clé{i}: é # c\n"))
large("unknown-long-keys.md", lines("", lambda i: f"unknown_{'k' * 100}_{i}: 1\n"))
# One accented value filling the size limit.
os.mkdir(os.path.join(d, "accented"))
def accented(name, pieces, close=""):
    large(os.path.join("..", "accented", name), pieces, close)
accented("quoted.md", lines('description2: "', lambda i: "é" * 1000), '"\n')
accented("block.md", lines("description2: |\n", lambda i: "  " + "é" * 100 + "\n"))
# Anchors nested 60 deep around a list of 99,000 values (under the limit on values).
open(os.path.join(d, "large", "nested-anchors.md"), "w").write(
    fm[:-4] + "extra: " + "".join(f"&a{i} [" for i in range(60)) + "1, " * 99_000 + "1" + "]" * 60 + "\n---\n# Mixing\nText.\n")
# As many globs as allowed in `include`, in `exclude` and in `overrides`, matched against each of
# 2,000 files.
os.makedirs(os.path.join(d, "globs", "tree"))
for i in range(2000):
    open(os.path.join(d, "globs", "tree", f"f{i}.md"), "w").write(fm + "# Mixing\nText.\n")
globs = lambda n: "".join(f"  - 'docs/d{i}/*.md'\n" for i in range(n))
open(os.path.join(d, "globs", "guidelint.yml"), "w").write(
    "include:\n  - 'tree/*.md'\n" + globs(999) + "exclude:\n" + globs(1000) + "overrides:\n"
    + "".join(f"  - files: ['d{i}/*.md']\n    rules: {{section-empty: off}}\n" for i in range(1000)))
PY
fail=0
# measure FILE FORMAT MAX_MS MAX_MB LABEL [CONFIG [FLAG...]] (FORMAT `fix`: --fix on a copy
# of FILE; without CONFIG, or with an empty one, --no-config)
measure() {
  local file=$1 args=(--format "$2") config=(--no-config)
  [ -z "${6:-}" ] || config=(--config "$6")
  args+=("${@:7}")
  if [ "$2" = fix ]; then
    cp "$1" "$tmp/fixed.md"
    file=$tmp/fixed.md args=(--fix --format concise "${@:7}")
  fi
  # guidelint exits 1 on these inputs (they have findings), 2 on a refused configuration: only
  # the measurement matters.
  /usr/bin/time -o "$tmp/time" -f '%e %M' "$bin" check "${config[@]}" -q "${args[@]}" "$file" >/dev/null 2>&1 || true
  out=$(tail -1 "$tmp/time")
  seconds=${out% *}
  kib=${out#* }
  ms=$(python3 -c "print(round($seconds * 1000))")
  mib=$((kib / 1024))
  flag=""
  if [ "$ms" -gt "$3" ] || [ "$mib" -gt "$4" ]; then
    flag="  <-- over $3 ms / $4 MiB"
    fail=1
  fi
  printf '%-34s %8s %8s%s\n' "$5" "$ms" "$mib" "$flag"
}
# tool LABEL ARGS...: `guidelint check ARGS` in the folder of the tool files, under MAX_MS and
# MAX_MB, exiting with 2 (a hang is stopped after 10 s, and fails).
tool() {
  local label=$1 code=0
  shift
  (cd "$tmp/tool" && /usr/bin/time -o "$tmp/time" -f '%e %M' timeout 10 "$bin" check --no-cache -q "$@" >/dev/null 2>&1) || code=$?
  out=$(tail -1 "$tmp/time")
  seconds=${out% *}
  kib=${out#* }
  ms=$(python3 -c "print(round($seconds * 1000))")
  mib=$((kib / 1024))
  flag=""
  if [ "$ms" -gt "$max_ms" ] || [ "$mib" -gt "$max_mb" ]; then
    flag="  <-- over $max_ms ms / $max_mb MiB"
    fail=1
  fi
  if [ "$code" != 2 ]; then
    flag="$flag  <-- exit $code, not 2"
    fail=1
  fi
  printf '%-34s %8s %8s%s\n' "$label" "$ms" "$mib" "$flag"
}
printf '%-34s %8s %8s\n' file ms MiB
for f in fixtures/adversarial/*.md "$tmp"/*.md; do
  measure "$f" concise "$max_ms" "$max_mb" "$(basename "$f")"
done
# Before the files with many findings, whose entries in the result cache each later run
# would copy when it adds its own.
for f in "$tmp"/huge/*.md; do
  for format in human concise json sarif github gitlab junit summary; do
    measure "$f" "$format" "$max_ms" "$max_mb" "$(basename "$f") ($format)"
  done
done
for f in "$tmp"/large/*.md; do
  measure "$f" concise "$large_ms" "$large_mb" "front matter: $(basename "$f")" "" --no-cache
done
for f in "$tmp"/accented/*.md; do
  measure "$f" concise "$large_ms" "$max_mb" "accented value: $(basename "$f")" "" --no-cache
done
for f in "$tmp"/many/*.md; do
  for format in concise human fix; do
    measure "$f" "$format" "$many_ms" "$many_mb" "$(basename "$f") ($format)"
  done
done
# stage-hierarchy is off by default; heading-increment's fix is unsafe.
measure "$tmp/many/tag-items.md" concise "$many_ms" "$many_mb" "tag-items.md (stage-hierarchy)" "" --select stage-hierarchy
measure "$tmp/many/raised-sections.md" fix "$many_ms" "$many_mb" "raised-sections.md (unsafe fix)" "" --unsafe-fixes
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tool "config: error past column 65535" --config far-config.yml a.md
tool "schema: error past column 65535" --config far-schema.yml a.md
tool "taxonomy: error past column 65535" --config far-taxonomy-config.yml a.md
tool "schema of one 4 MB line" --config long-schema.yml a.md
tool "sparse 1 GB configuration" --config sparse.yml a.md
tool "sparse 1 GB schema" --no-config --schema sparse.json a.md
tool "sparse 1 GB taxonomy" --config sparse-taxonomy-config.yml a.md
tool "sparse 1 GB baseline" --no-config --baseline sparse-baseline.json a.md
tool "named pipe as configuration" --config pipe.yml a.md
tool "/dev/zero as configuration" --config /dev/zero a.md
tool "50,000 exclude globs" --config many-globs.yml a.md
tool "5,000 overrides" --config many-overrides.yml a.md
tool "named pipe, /dev/zero as articles" --no-config pipe.md /dev/zero a.md
for format in concise sarif human; do
  measure "$tmp/million/million-headings.md" "$format" "$huge_ms" "$huge_mb" "million-headings.md ($format)" "" --no-cache
done
measure "$tmp/chain/article.md" concise "$huge_ms" "$huge_mb" "chain taxonomy" "$tmp/chain/guidelint.yml" --no-cache
measure "$tmp/suggest/article.md" concise "$many_ms" "$many_mb" "suggestions, 50,050 terms" "$tmp/suggest/guidelint.yml" --no-cache
measure "$tmp/globs/tree" concise "$many_ms" "$many_mb" "1,000 globs each, 2,000 files" "$tmp/globs/guidelint.yml" --no-cache
for case in many-patterns large-patterns matching-patterns; do
  measure "$tmp/$case/article.md" concise "$many_ms" "$many_mb" "$case" "$tmp/$case/guidelint.yml" --no-cache
done
exit $fail
