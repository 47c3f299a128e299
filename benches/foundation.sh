#!/usr/bin/env bash
# Benchmark of the foundation (issue 2) on a synthetic commons of 100,000 articles across
# 100 contingents. Rerun with:  bash benches/foundation.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench}
articles=${ARTICLES:-100000}
bench_setup "$work" "$articles articles, 100 contingents" --articles "$articles" --contingents 100

echo "== largest tree object on the trunk (entries)"
git -C "$repo" ls-tree -r -t --name-only main | awk '{ p = $0; if (!sub("/[^/]*$", "", p)) p = "(root)"; n[p]++ }
  END { for (k in n) if (n[k] > m) { m = n[k]; w = k }; print "largest tree: " m " entries (" w ")" }'

# One new article per run: a shell script picks the next unused file (hyperfine subtracts
# the shell's own start-up time).
mkdir -p "$work/in"
for i in $(seq 1 200); do
  printf '+++\ntitle = "Benchmark article %s"\nauthors = ["Bench"]\ncontingent = "c001"\ndate = 2026-11-21\nlicense = "CC0-1.0"\n+++\nA short body for benchmark article %s.\n' "$i" "$i" > "$work/in/a$i.md"
done
echo 0 > "$work/n"
next="n=\$((\$(cat $work/n)+1)); echo \$n > $work/n; $T -C $repo contribute $work/in/a\$n.md >/dev/null"

echo "== contribute (one more article each run)"
touch "$work/marker"; sleep 1
du_before=$(du -sk "$repo/objects" | cut -f1)
hyperfine -w 3 -r 30 "$next" | grep -E "Time|Range"
du_after=$(du -sk "$repo/objects" | cut -f1)
bytes=$(find "$repo/objects" -type f -newer "$work/marker" -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "objects/ grew by $(( du_after - du_before )) KiB on disk over 33 contributions (4 KiB blocks); the new loose objects hold $bytes bytes: $(( bytes / 33 )) bytes each"
/usr/bin/time -f "contribute peak memory: %M KiB" "$T" -C "$repo" contribute "$work/in/a100.md" >/dev/null

echo "== list --limit 50, warm index"
"$T" -C "$repo" list --limit 1 >/dev/null
hyperfine -N -w 3 -r 20 "$T -C $repo list --limit 50" | grep -E "Time|Range"
/usr/bin/time -f "list (warm) peak memory: %M KiB" "$T" -C "$repo" list --limit 50 >/dev/null

echo "== list --limit 50, cold (index deleted before each run)"
hyperfine -w 1 -r 5 --prepare "rm -rf $repo/tribune/index" "$T -C $repo list --limit 50" | grep -E "Time|Range"
rm -rf "$repo/tribune/index"
/usr/bin/time -f "list (cold) peak memory: %M KiB" "$T" -C "$repo" list --limit 50 >/dev/null

slug=$("$T" -C "$repo" list --limit 1 --json | sed -n 's/.*"slug": "\(.*\)".*/\1/p' | head -1)
old=$(git -C "$repo" ls-tree -r --name-only main~200 articles/ | sed -n '1s#articles/../../\([^/]*\)/index.md#\1#p')
echo "== show $slug"
hyperfine -N -w 3 -r 30 "$T -C $repo show $slug" | grep -E "Time|Range"
/usr/bin/time -f "show peak memory: %M KiB" "$T" -C "$repo" show "$slug" >/dev/null
echo "== log of an article from the bulk history ($old)"
hyperfine -N -w 1 -r 5 "$T -C $repo log $old" | grep -E "Time|Range"
