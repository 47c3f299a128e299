#!/usr/bin/env bash
# Benchmark of credits, credit-check and challenges (issue 7): a synthetic commons of
# 10,000 articles across 100 contingents, 10 editions of 1,000 rewrites, 20 planted
# uncredited copies and 20 credited ones, and 10,000 challenges (two in three answered);
# then `credits` again on the 100,000-article commons of benches/foundation.sh.
# Rerun with:  bash benches/credits.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time) and python3.
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-credits}
bench_setup "$work" "10,000 articles, 10 editions x 1,000 rewrites, 20+20 copies, 10,000 challenges" \
  --articles 10000 --single 100 --editions 10 --rewrites 1000 --long-words 0 --copies 20 --challenges 10000

echo "== credits credited-copy-0 (trunk original -> edition rewrite -> derived article)"
"$T" -C "$repo" credits credited-copy-0
hyperfine -N -w 3 -r 30 "$T -C $repo credits credited-copy-0" | grep -E "Time|Range"
slug=$("$T" -C "$repo" credits credited-copy-0 --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["original"]["slug"])')
echo "== credits $slug@c000 (c000's rewrite of an old article: the trunk log walked back to its creation)"
hyperfine -N -w 3 -r 30 "$T -C $repo credits $slug@c000" | grep -E "Time|Range"
/usr/bin/time -f "credits peak memory: %M KiB" "$T" -C "$repo" credits "$slug@c000" >/dev/null

echo "== export credited-copy-0 --as c001 --format html"
hyperfine -N -w 3 -r 30 "$T -C $repo export credited-copy-0 --as c001 --format html" | grep -E "Time|Range"

echo "== credit-check across every text (10,040 articles + 10,000 rewrites)"
found=$("$T" -C "$repo" credit-check --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["texts"], "texts;", len(r["findings"]), "findings:", sorted({f["copy"]["slug"] for f in r["findings"]}) == ["planted-copy-%d" % k for k in sorted(range(20), key=str)])')
echo "$found (expected: 20 findings, exactly the planted copies: True)"
hyperfine -w 1 -r 5 "$T -C $repo credit-check" | grep -E "Time|Range"
/usr/bin/time -f "credit-check peak memory: %M KiB" "$T" -C "$repo" credit-check >/dev/null

echo "== accountability over 10,000 challenges"
"$T" -C "$repo" accountability | head -4
hyperfine -N -w 2 -r 20 "$T -C $repo accountability" | grep -E "Time|Range"
/usr/bin/time -f "accountability peak memory: %M KiB" "$T" -C "$repo" accountability >/dev/null
echo "== challenges --open over 10,000 challenges"
hyperfine -N -w 2 -r 10 "$T -C $repo challenges --open" | grep -E "Time|Range"

big=$work/big
if [ ! -f "$big/HEAD" ]; then
  echo "== building the 100,000-article commons with 2 editions (as benches/foundation.sh)"
  /usr/bin/time -f "synth: %e s wall, %M KiB peak" "$T" synth "$big" --editions 2 --copies 1
fi
echo "== credits on 100,000 articles: credited-copy-0, and an old article's edition rewrite"
hyperfine -N -w 3 -r 30 "$T -C $big credits credited-copy-0" | grep -E "Time|Range"
old=$("$T" -C "$big" credits credited-copy-0 --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["original"]["slug"])')
hyperfine -N -w 3 -r 30 "$T -C $big credits $old@c000" | grep -E "Time|Range"
