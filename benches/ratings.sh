#!/usr/bin/env bash
# Benchmark of ratings (issue 4): the synthetic commons of 100,000 articles plus 1,000
# raters with 1,000 ratings each (1,000,000 ratings, one notes commit per rater).
# Rerun with:  bash benches/ratings.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time) and python3.
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-ratings}
bench_setup "$work" "100,000 articles, 1,000 raters x 1,000 ratings" --raters 1000 --ratings 1000
echo "rater refs: $(git -C "$repo" for-each-ref refs/notes/tribune/ratings | wc -l)"

trust=""
for i in $(seq 0 19); do trust="$trust --trust r$(printf %04d "$i")"; done
# shellcheck disable=SC2086
"$T" -C "$repo" filter add twenty $trust --dimension politics --min-score 1 >/dev/null

echo "== list --filter (20 trusted raters, top 50), cold (index deleted before each run)"
hyperfine -w 1 -r 5 --prepare "rm -rf $repo/tribune/index" "$T -C $repo list --filter twenty --limit 50" | grep -E "Time|Range"
echo "== list --filter, warm"
"$T" -C "$repo" list --filter twenty --limit 50 >/dev/null
hyperfine -N -w 3 -r 20 "$T -C $repo list --filter twenty --limit 50" | grep -E "Time|Range"
/usr/bin/time -f "list --filter peak memory: %M KiB" "$T" -C "$repo" list --filter twenty --limit 50 >/dev/null

slug=$("$T" -C "$repo" list --filter twenty --limit 1 --json | sed -n 's/.*"slug": "\(.*\)".*/\1/p')
echo "== why $slug"
hyperfine -N -w 3 -r 20 "$T -C $repo why $slug --filter twenty" | grep -E "Time|Range"
/usr/bin/time -f "why peak memory: %M KiB" "$T" -C "$repo" why "$slug" --filter twenty >/dev/null

echo "== ratings $slug (issue 15: <= 50 ms), the index of who noted what built first, then warm"
rm -rf "$repo/tribune/index/noted"
/usr/bin/time -f "ratings, building the index of who noted what: %e s wall, %M KiB peak" "$T" -C "$repo" ratings "$slug" >/dev/null
hyperfine -N -w 3 -r 20 "$T -C $repo ratings $slug" | grep -E "Time|Range"

echo "== rate (one more rating by a rater with 1,000)"
hyperfine -N -w 3 -r 30 "$T -C $repo rate $slug --score 1 --as r0500" | grep -E "Time|Range"
/usr/bin/time -f "rate peak memory: %M KiB" "$T" -C "$repo" rate "$slug" --score 1 --as r0500 >/dev/null

echo "== rate --batch of 100,000 ratings by 20 new raters"
"$T" -C "$repo" list --json --limit 100000 | python3 -c '
import json, sys, random
rows = json.load(sys.stdin)
random.seed(1)
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write(json.dumps({"slug": rows[i % len(rows)]["slug"], "score": random.randint(-2, 2), "rater": "batch%02d" % (i % 20)}) + "\n")
' "$work/batch.jsonl"
/usr/bin/time -f "rate --batch: %e s wall, %M KiB peak" "$T" -C "$repo" rate --batch "$work/batch.jsonl"
