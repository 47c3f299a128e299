#!/usr/bin/env bash
# Benchmark of rival versions (issue 3): a synthetic commons of 100,000 articles with 100
# contingent editions holding 1,000 rewrites each (one bulk commit per edition, then the
# long article's rewrite with tribune's trailers), plus one long
# article (5,000 words) rewritten by two editions. Rerun with:
#   bash benches/versions.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-versions}
bench_setup "$work" "100,000 articles, 100 editions x 1,000 rewrites" --editions 100 --rewrites 1000
echo "editions: $(git -C "$repo" for-each-ref refs/heads/contingents | wc -l)"

echo "== index, cold (built once for every edition)"
rm -rf "$repo/tribune/index"
/usr/bin/time -f "list (cold, with editions): %e s, %M KiB peak" "$T" -C "$repo" list --limit 5 >/dev/null

echo "== versions long-article (warm index)"
"$T" -C "$repo" versions long-article
hyperfine -N -w 3 -r 30 "$T -C $repo versions long-article" | grep -E "Time|Range"
/usr/bin/time -f "versions peak memory: %M KiB" "$T" -C "$repo" versions long-article >/dev/null

echo "== diff of two 5,000-word versions"
"$T" -C "$repo" diff long-article c000 c001 --stat
hyperfine -N -w 3 -r 30 "$T -C $repo diff long-article c000 c001" | grep -E "Time|Range"

echo "== rewrite (a different article each run, on edition c050)"
# The new texts are prepared first; the timed command is a counter and the rewrite.
"$T" -C "$repo" list --limit 60 --json | sed -n 's/.*"slug": "\(.*\)".*/\1/p' > "$work/slugs"
i=0
while read -r s; do
  i=$((i + 1))
  "$T" -C "$repo" show "$s" --raw | sed '$ s/$/ Rewritten./' > "$work/rw$i.md"
done < "$work/slugs"
echo 0 > "$work/n"
next="n=\$((\$(cat $work/n)+1)); echo \$n > $work/n; $T -C $repo rewrite \$(sed -n \"\${n}p\" $work/slugs) --contingent c050 --file $work/rw\$n.md -m bench >/dev/null"
hyperfine -w 3 -r 30 "$next" | grep -E "Time|Range"
echo "(the timed shell line also reads a counter and a slug with sed: about 1 ms)"

echo "== update of one edition after 20 trunk contributions (a different edition each run)"
for i in $(seq 1 20); do
  printf '+++\ntitle = "Trunk news %s"\nauthors = ["Bench"]\ncontingent = "c001"\ndate = 2026-11-21\nlicense = "CC0-1.0"\n+++\nTrunk news %s.\n' "$i" "$i" > "$work/t$i.md"
  "$T" -C "$repo" contribute "$work/t$i.md" >/dev/null 2>&1 || true
done
echo 9 > "$work/e"
upd="e=\$((\$(cat $work/e)+1)); echo \$e > $work/e; $T -C $repo update --contingent c0\$e >/dev/null"
hyperfine -w 1 -r 20 "$upd" | grep -E "Time|Range"
"$T" -C "$repo" update --contingent c005
