#!/usr/bin/env bash
# The cold index (issue 15): cold `list` and cold `list --filter` on the full workload with
# editions, on two packs of one commons: the pack `synth` writes, and the same repository
# after `git repack -a -d -f --depth=50` (what `git gc --aggressive` leaves, deep deltas).
# Each is set beside plain git reading the same objects (`git cat-file --batch` of every
# trunk and edition text), and the cold build at 10,000 articles beside the one at 100,000
# (linear: at most 12x), everything scaled by ten: 10 editions and 100 raters against 100
# and 1,000 (each edition 1,000 rewrites, each rater 1,000 ratings). Targets: cold list and list --filter <= 5 s, within 3x of git.
# Then `ratings SLUG` (<= 50 ms) on the same commons, whose 1,000 raters rated 1,000
# versions each.
# Rerun with:  bash benches/cold.sh [WORKDIR]   (RUNS=… cold runs each, default 3; the
# 10,000-article list runs three times as many)
# Needs GNU time (/usr/bin/time) and python3. The commons take about 5 minutes to build and
# 2 GB of disk; they are kept in WORKDIR and used again. Do not run it while a cargo build
# runs: on 2 cores the build takes one of them.
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-cold}
runs=${RUNS:-3}
bench_env
cargo build --release --quiet
T=$PWD/target/release/tribune
mkdir -p "$work"
echo "tribune: $(git rev-parse --short HEAD), load at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# synth ARTICLES EDITIONS REWRITES RATERS → $work/a$ARTICLES (synth's pack) and
# $work/a$ARTICLES-deep (repacked), built once.
build() {
  local n=$1 dir=$work/a$1
  if [ ! -f "$dir/HEAD" ]; then
    echo "== building $n articles, $2 editions x $3 rewrites, $4 raters x 1,000 ratings"
    /usr/bin/time -f "synth: %e s wall, %M KiB peak" "$T" synth "$dir" --articles "$n" --editions "$2" \
      --rewrites "$3" --raters "$4" --ratings 1000 | tail -1
  fi
  if [ ! -f "$dir-deep/HEAD" ]; then
    cp -a "$dir" "$dir-deep"
    /usr/bin/time -f "git repack -a -d -f --depth=50: %e s wall" git -C "$dir-deep" repack -a -d -f --depth=50 -q
  fi
  rm -rf "$dir/tribune/index" "$dir-deep/tribune/index"
}
build 10000 10 1000 100
build 100000 100 1000 1000

# Every trunk and edition text, as plain git names them.
texts() {
  git -C "$1" ls-tree -r main articles | awk '$4 ~ /\/index\.md$/ { print $3 }'
  for r in $(git -C "$1" for-each-ref --format='%(refname)' refs/heads/contingents); do
    git -C "$1" diff-tree -r --no-commit-id "$(git -C "$1" merge-base main "$r")" "$r" -- articles \
      | awk '$6 ~ /\/index\.md$/ && $4 !~ /^0+$/ { print $4 }'
  done
}

# git reading every object named in file $2, in repository $1.
cat_file() {
  git -C "$1" cat-file --batch < "$2"
}

# The median of RUNS wall times of a command, after `prep` (not timed) before each, to the
# millisecond (the growth figure divides by a time of about 0.2 s).
median() {
  local prep=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    eval "$prep"
    local s e
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    times+=("$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'
}

"$T" -C "$work/a100000" filter add twenty --trust r0000 --trust r0001 --trust r0002 --dimension politics \
  --min-score 1 >/dev/null 2>&1 || true
declare -A cold gits
bench_quiet
echo "load when the measuring starts: $(cut -d' ' -f1-3 /proc/loadavg)"
for pack in "" "-deep"; do
  for n in 10000 100000; do
    dir=$work/a$n$pack
    texts "$dir" > "$work/texts$n$pack"
    git_s=$(median "true" cat_file "$dir" "$work/texts$n$pack")
    # The small build, a tenth of the time, is run three times as often: the growth figure
    # divides by it, and its median moves most from run to run. (`runs=… median` sets runs
    # for that call of the function only.)
    list_s=$(runs=$((n == 10000 ? runs * 3 : runs)) median "rm -rf $dir/tribune/index" "$T" -C "$dir" list --limit 1)
    cold[$n$pack]=$list_s
    gits[$n$pack]=$git_s
    line="$(printf '%-26s' "$n articles${pack:+, deep}"): cold list $list_s s, git cat-file of $(wc -l < "$work/texts$n$pack") texts $git_s s"
    line="$line ($(awk -v a="$list_s" -v b="$git_s" 'BEGIN { printf "%.1f", a / b }')x)"
    if [ "$n" = 100000 ]; then
      cp -a "$work/a100000/tribune/filters" "$dir/tribune/" 2>/dev/null || true
      filter_s=$(median "rm -rf $dir/tribune/index" "$T" -C "$dir" list --filter twenty --limit 1)
      line="$line; cold list --filter $filter_s s"
    fi
    echo "$line"
  done
  echo "growth 10,000 -> 100,000 articles${pack:+ (deep)}: $(awk -v a="${cold[100000$pack]}" -v b="${cold[10000$pack]}" 'BEGIN { printf "%.1f", a / b }')x (git cat-file: $(awk -v a="${gits[100000$pack]}" -v b="${gits[10000$pack]}" 'BEGIN { printf "%.1f", a / b }')x)"
done

dir=$work/a100000
git -C "$dir" notes --ref=tribune/ratings/r0000 list > "$work/noted"
version=$(awk 'NR == 1 { print $2 }' "$work/noted")
slug=$(git -C "$dir" ls-tree -r main articles | awk -v v="$version" '$3 == v { split($4, p, "/"); print p[4] }')
rm -rf "$dir/tribune/index/noted"
/usr/bin/time -f "ratings $slug, building the index of who noted what: %e s wall, %M KiB peak" \
  "$T" -C "$dir" ratings "$slug" >/dev/null
echo "ratings $slug, warm (median of 11): $(runs=11 median true "$T" -C "$dir" ratings "$slug") s"
