#!/usr/bin/env bash
# Benchmark of sync (issue 6): 10,000 new ratings (10 raters) and 1,000 ballots made in one
# clone travel through a local bare remote to another clone. Targets: each sync under 5 s;
# a sync with nothing to do under 500 ms.
# Rerun with:  bash benches/sync.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-sync}
rm -rf "$work/hub.git" "$work/b"
# The clone that did the work: 10,000 articles, 10 raters x 1,000 ratings, 1,000 voters who voted.
bench_setup "$work" "10,000 articles, 10,000 ratings, 1,000 ballots" --articles 10000 --single 10 --contingents 10 \
  --raters 10 --ratings 1000 --voters 1000
a=$repo
# The hub has the trunk only (git clone --bare copies branches, not notes or ballots), and
# b is a fresh tribune clone of it.
git clone -q --bare "$a" "$work/hub.git"
git -C "$a" remote remove origin 2>/dev/null || true
git -C "$a" remote add origin "$work/hub.git"
"$T" clone "$work/hub.git" "$work/b" >/dev/null
echo "notes refs: $(git -C "$a" for-each-ref refs/notes/tribune | wc -l), ballot refs: $(git -C "$a" for-each-ref refs/tribune/ballots | wc -l)"

echo "== sync of the clone that made them (pushes 10,000 ratings and 1,000 ballots)"
/usr/bin/time -f "sync (push): %e s wall, %M KiB peak" "$T" -C "$a" sync
echo "== sync of the other clone (fetches them)"
/usr/bin/time -f "sync (fetch): %e s wall, %M KiB peak" "$T" -C "$work/b" sync
echo "== a sync with nothing to do"
hyperfine -N -w 2 -r 10 "$T -C $work/b sync" | grep -E "Time|Range"
