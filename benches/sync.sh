#!/usr/bin/env bash
# Benchmark of sync (issues 6 and 15), at full size: a clone of the full workload (100,000
# articles, 100 editions of 1,000 rewrites) whose 1,000 raters made 10 ratings each (10,000
# ratings on 1,000 notes refs) and whose 1,000 voters voted (1,000 ballot refs) publishes
# them through a local bare hub that has the trunk and the editions only. Beside it, plain
# git pushing the same refs to a copy of the same hub, with two glob refspecs. Then the
# other side: a fresh clone fetching them, and a sync with nothing to do.
# Targets (issue 15): the push <= 5 s and within 2x of plain git's; nothing to do <= 500 ms.
# Rerun with:  bash benches/sync.sh [WORKDIR]   (ARTICLES=…, EDITIONS=…, RATERS=…, VOTERS=…)
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time). The commons is
# kept in WORKDIR and used again.
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-sync}
articles=${ARTICLES:-100000}
editions=${EDITIONS:-100}
raters=${RATERS:-1000}
voters=${VOTERS:-1000}
bench_setup "$work" "$articles articles, $editions editions, $raters raters x 10 ratings, $voters ballots" \
  --articles "$articles" --editions "$editions" --raters "$raters" --ratings 10 --voters "$voters"
a=$repo
# The hub as it was before the clone published: the trunk and the editions (what `git clone
# --bare` copies), every time from the same pristine copy.
[ -d "$work/hub0.git" ] || git clone -q --bare "$a" "$work/hub0.git"
fresh_hub() {
  rm -rf "$1"
  cp -a "$work/hub0.git" "$1"
}
echo "refs in the clone: $(git -C "$a" for-each-ref | wc -l): notes $(git -C "$a" for-each-ref refs/notes/tribune | wc -l), ballots $(git -C "$a" for-each-ref refs/tribune/ballots | wc -l)"

echo "== the clone that made them syncs (pushes $raters notes refs and $voters ballot refs), and plain"
echo "   git pushes the same refs (two glob refspecs, atomic), alternately, 3 times each, every time"
echo "   to a fresh copy of the hub (the disk's writeback of 2,000 new ref files sways both alike)"
for i in 1 2 3; do
  rm -rf "$work/a-sync"
  cp -a "$a" "$work/a-sync"
  fresh_hub "$work/hub.git"
  fresh_hub "$work/hub-git.git"
  git -C "$work/a-sync" remote remove origin 2>/dev/null || true
  git -C "$work/a-sync" remote add origin "$work/hub.git"
  sync
  /usr/bin/time -f "  tribune sync (push): %e s wall, %M KiB peak" "$T" -C "$work/a-sync" sync >/dev/null
  sync
  /usr/bin/time -f "  git push --atomic --porcelain: %e s wall" git -C "$a" push -q --atomic --porcelain \
    "$work/hub-git.git" 'refs/notes/tribune/*:refs/notes/tribune/*' 'refs/tribune/*:refs/tribune/*' >/dev/null
done

echo "== a fresh clone of the hub, then a sync that fetches nothing new, then one with nothing to do"
rm -rf "$work/b"
/usr/bin/time -f "tribune clone (fetches them): %e s wall, %M KiB peak" "$T" clone "$work/hub.git" "$work/b" | tail -1
hyperfine -N -w 2 -r 10 "$T -C $work/b sync" | grep -E "Time|Range"
