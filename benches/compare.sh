#!/usr/bin/env bash
# The previous release and this one side by side (issue 14: no command slower than before by more
# than 10%). Rerun with:
#   bash benches/compare.sh OLD_BIN NEW_BIN [WORKDIR]          # hyperfine, then:
#   python3 benches/paired.py OLD_BIN NEW_BIN [WORKDIR] [RUNS]  # interleaved medians: quote these
# e.g.  git worktree add /tmp/base edc807c && (cd /tmp/base && cargo build --release)
#       cargo build --release
#       bash benches/compare.sh /tmp/base/target/release/tribune target/release/tribune
#       python3 benches/paired.py /tmp/base/target/release/tribune target/release/tribune
# The commands: `list --limit 50` cold (the derived index deleted before each run) and warm,
# `list --filter` (20 trusted raters) cold and warm, `show`, `log`, `versions` and `diff` (of an
# article with two rival versions), `ratings` (of a rated article), `tally` and `statements`
# (1,000 ballots), then `sync` (first push, 100 new ratings, nothing to do), `rate`, `vote` and
# `contribute`. One synthetic commons (100,000 articles, 2 contingent editions, 100 raters x
# 1,000 ratings, 1,000 voters who voted, a filter), built by NEW_BIN, is copied twice (cp -a)
# with a local bare hub each, so neither binary reads state the other wrote. Each operation is
# ONE hyperfine invocation with the old and the new binary as its two commands, each on its own
# copy (hyperfine runs all of the first command's runs, then all of the second's, so a change in
# the machine's load between them skews the ratio: benches/paired.py interleaves them); every
# command is run once and its exit code checked first.
# ARTICLES=10000 for a smaller commons. WORKDIR (default /tmp/tribune-bench-compare) is
# emptied first. Needs hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time) and
# python3. Prints, per operation, old and new mean ± sd, median and the ratio new/old. Do not
# run it while a cargo build runs: on 2 cores the build takes one of them.
. "$(dirname "$0")/common.sh"
bench_builds compare.sh "$@"
work=${3:-/tmp/tribune-bench-compare}
articles=${ARTICLES:-100000}
bench_env
echo "old: $old_bin ($(sha256sum "$old_bin" | cut -c1-16))"
echo "new: $new_bin ($(sha256sum "$new_bin" | cut -c1-16))"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -rf "$work"
mkdir -p "$work/json" "$work/in"
repo=$work/commons
echo "== building the synthetic commons ($articles articles, 2 editions, 100 raters x 1,000 ratings, 1,000 ballots) with NEW_BIN"
/usr/bin/time -f "synth: %e s wall, %M KiB peak" "$new_bin" synth "$repo" --articles "$articles" \
  --contingents 100 --editions 2 --raters 100 --ratings 1000 --voters 1000 | tail -1
# The filter of `list --filter` (a file in tribune/filters/, which both builds read), and the
# article it ranks first, for `ratings`; then the derived index is deleted, so that both copies
# start without one.
trust=()
for i in $(seq 0 19); do trust+=(--trust "r$(printf %04d "$i")"); done
"$new_bin" -C "$repo" filter add twenty "${trust[@]}" --dimension politics --min-score 1 >/dev/null
"$new_bin" -C "$repo" list --filter twenty --limit 1 --json | sed -n 's/.*"slug": "\(.*\)".*/\1/p' > "$work/rated"
rated=$(cat "$work/rated")
rm -rf "$repo/tribune/index"
# The hub starts with the trunk only (git clone --bare copies branches, not notes or ballots).
git clone -q --bare "$repo" "$work/hub.git"
key=$repo/tribune/synth-voter-key
# Pristine copies, never run on: $work/{old,new}.0 with origin = $work/hub-{old,new}.git.
for b in old new; do
  cp -a "$repo" "$work/$b.0"
  git -C "$work/$b.0" remote add origin "$work/hub-$b.git"
done
# Articles rated: the first 100 of the trunk (read with git, so no binary touches the commons).
bench_slugs "$repo" "$work"
slug=$(head -1 "$work/slugs")
# Two batches of 100 ratings (10 raters r0000..r0009 x 10 articles) with different scores, so
# that each `rate --batch` in turn changes all 100.
for s in 1 -1; do
  awk -v s="$s" '{ printf "{\"slug\":\"%s\",\"score\":%d,\"rater\":\"r%04d\"}\n", $0, s, NR % 10 }' "$work/slugs" > "$work/batch$s.jsonl"
done
# The steps that set up a fresh state, run by hyperfine --prepare (outside the timing):
# restore, rate100 and next, in $work/prep.sh (see bench_prep in benches/common.sh).
bench_prep "$work" "$old_bin" "$new_bin"
prep="bash $work/prep.sh"
for b in old new; do $prep restore $b; done
echo "load after setup: $(cut -d' ' -f1-3 /proc/loadavg)"

# check NAME CMD…: run once for each binary on its own copy (in place of {bin} and {copy}),
# show the output and stop if either fails.
check() {
  local name=$1 b bin
  shift
  for b in old new; do
    bin=$old_bin; [ $b = new ] && bin=$new_bin
    local cmd=("${@//\{bin\}/$bin}")
    cmd=("${cmd[@]//\{copy\}/$work/$b}")
    cmd=("${cmd[@]//\{b\}/$b}")
    if ! out=$("${cmd[@]}" 2>&1); then
      echo "FAILED ($b, $name): ${cmd[*]}"; echo "$out"; exit 1
    fi
    echo "[$b ok] $(echo "$out" | tail -1)"
  done
}
# bench NAME "HYPERFINE-OPTS" "CMD with {bin} {copy} {b}" ["PREPARE with {copy} {b}"]
bench() {
  local name=$1 opts=$2 cmd=$3 prepare=${4:-} b bin args=()
  for b in old new; do
    bin=$old_bin; [ $b = new ] && bin=$new_bin
    local c=${cmd//\{bin\}/$bin}
    c=${c//\{copy\}/$work/$b}
    c=${c//\{b\}/$b}
    local p=${prepare//\{copy\}/$work/$b}
    [ -n "$prepare" ] && args+=(--prepare "${p//\{b\}/$b}")
    args+=(-n "$b" "$c")
  done
  echo "== $name"
  echo "   command: ${cmd//\{copy\}/COPY}"
  # shellcheck disable=SC2086
  hyperfine -N $opts --export-json "$work/json/$name.json" "${args[@]}"
}

echo "== exit codes of the reading commands (each once, old then new)"
check "list" {bin} -C {copy} list --limit 50
check "list --filter" {bin} -C {copy} list --filter twenty --limit 50
check "show" {bin} -C {copy} show "$slug"
check "log" {bin} -C {copy} log "$slug"
check "versions" {bin} -C {copy} versions long-article
check "diff" {bin} -C {copy} diff long-article trunk c000
check "ratings" {bin} -C {copy} ratings "$rated"
check "tally" {bin} -C {copy} tally synthetic-statement
check "statements" {bin} -C {copy} statements

cold="rm -rf {copy}/tribune/index"
bench "list-cold" "-w 1 -r 10" "{bin} -C {copy} list --limit 50" "$cold"
echo "   (each run: the derived index deleted before it, outside the timing)"
bench "list-warm" "-w 3 -r 30" "{bin} -C {copy} list --limit 50"
bench "list-filter-cold" "-w 1 -r 10" "{bin} -C {copy} list --filter twenty --limit 50" "$cold"
echo "   (each run: the derived index deleted before it, outside the timing)"
bench "list-filter-warm" "-w 3 -r 20" "{bin} -C {copy} list --filter twenty --limit 50"
bench "show" "-w 3 -r 30" "{bin} -C {copy} show $slug"
bench "log" "-w 3 -r 30" "{bin} -C {copy} log $slug"
bench "versions" "-w 3 -r 30" "{bin} -C {copy} versions long-article"
bench "diff" "-w 3 -r 30" "{bin} -C {copy} diff long-article trunk c000"
bench "ratings" "-w 3 -r 30" "{bin} -C {copy} ratings $rated"
bench "tally" "-w 3 -r 20" "{bin} -C {copy} tally synthetic-statement"
bench "statements" "-w 3 -r 20" "{bin} -C {copy} statements"

echo "== exit codes of the writing commands (each once, old then new)"
check "sync (first)" {bin} -C {copy} sync
check "rate --batch" {bin} -C {copy} rate --batch "$work/batch1.jsonl"
check "sync (push)" {bin} -C {copy} sync
check "sync (noop)" {bin} -C {copy} sync
check "rate" {bin} -C {copy} rate "$slug" --score 1 --as r0050
check "vote" {bin} -C {copy} vote synthetic-statement yes --as v00000 --key "$key"
$prep next old; $prep next new
check "contribute" {bin} -C {copy} contribute "$work/next-{b}.md"

bench "sync-first-push" "-w 1 -r 10" "{bin} -C {copy} sync" "$prep restore {b}"
echo "   (each run: a fresh copy and a trunk-only hub; pushes 100,000 ratings by 100 raters and 1,000 ballots)"
bench "sync-push-100-ratings" "-w 2 -r 20" "{bin} -C {copy} sync" "$prep rate100 {b}"
echo "   (each run: 100 new ratings by 10 raters made with rate --batch before it, outside the timing)"
bench "sync-nothing-to-do" "-w 3 -r 30" "{bin} -C {copy} sync"
bench "rate" "-w 3 -r 30" "{bin} -C {copy} rate $slug --score 1 --as r0050"
bench "vote" "-w 3 -r 30" "{bin} -C {copy} vote synthetic-statement yes --as v00000 --key $key"
bench "contribute" "-w 3 -r 30" "{bin} -C {copy} contribute $work/next-{b}.md" "$prep next {b}"
echo "   (each run: a new article file, copied to next-B.md before it, outside the timing)"

echo
echo "== summary (seconds; ratio = new mean / old mean, ± from both sd's; > 1.10 is flagged)"
python3 - "$work/json" list-cold list-warm list-filter-cold list-filter-warm show log versions diff ratings \
  tally statements sync-first-push sync-push-100-ratings sync-nothing-to-do rate vote contribute <<'EOF'
import json, math, statistics, sys
d = sys.argv[1]
print(f"{'operation':<24}{'old mean ± sd':>20}{'old median':>12}{'new mean ± sd':>20}{'new median':>12}{'new/old':>16}")
for name in sys.argv[2:]:
    r = {x["command"]: x for x in json.load(open(f"{d}/{name}.json"))["results"]}
    o, n = r["old"], r["new"]
    ratio = n["mean"] / o["mean"]
    err = ratio * math.hypot(o["stddev"] / o["mean"], n["stddev"] / n["mean"])
    flag = "  SLOWER >10%" if ratio > 1.10 else ""
    print(f"{name:<24}{o['mean']:>11.4f} ± {o['stddev']:.4f}{o['median']:>12.4f}"
          f"{n['mean']:>11.4f} ± {n['stddev']:.4f}{n['median']:>12.4f}{ratio:>9.2f} ± {err:.2f}{flag}")
EOF
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); total: $SECONDS s"
