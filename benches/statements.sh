#!/usr/bin/env bash
# Benchmark of joint statements (issue 5): an electorate of 10,000 members who have all
# voted (signed ballots on 10,000 refs, packed as after a clone) on a small commons.
# `tally` must take under 1 s and be at least 50 times faster than a `git verify-commit`
# loop over the same ballots, measured here in the same run; `vote` under 100 ms.
# Rerun with:  bash benches/statements.sh [WORKDIR]
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-statements}
bench_setup "$work" "1,000 articles, 10,000 voters who all voted" --articles 1000 --single 10 --contingents 10 --voters 10000
git -C "$repo" pack-refs --all
slug=synthetic-statement
ballots=$(git -C "$repo" for-each-ref "refs/tribune/ballots/$slug/" | wc -l)
echo "ballot refs: $ballots"

echo "== tally (every ballot verified), summary only"
hyperfine -N -w 2 -r 10 "$T -C $repo tally $slug --summary" | grep -E "Time|Range"
echo "== tally with the table of 10,000 ballots"
hyperfine -N -w 2 -r 10 "$T -C $repo tally $slug" | grep -E "Time|Range"
/usr/bin/time -f "tally peak memory: %M KiB" "$T" -C "$repo" tally $slug --summary | tail -3

echo "== the same $ballots ballots verified by a git verify-commit loop (one run)"
"$T" -C "$repo" allowed-signers > "$work/signers"
git -C "$repo" for-each-ref --format='%(objectname)' "refs/tribune/ballots/$slug/" > "$work/ballots"
start=$(date +%s.%N)
while read -r id; do
  git -C "$repo" -c gpg.ssh.allowedSignersFile="$work/signers" verify-commit "$id" 2>/dev/null
done < "$work/ballots"
end=$(date +%s.%N)
loop=$(echo "$end - $start" | bc)
echo "git verify-commit loop: $loop s for $ballots ballots"
tally=$( { /usr/bin/time -f "%e" "$T" -C "$repo" tally $slug --summary >/dev/null; } 2>&1 )
echo "tally (same run): $tally s; ratio: $(echo "scale=1; $loop / $tally" | bc)x"

echo "== vote (one more ballot by a member who already voted)"
hyperfine -N -w 3 -r 30 "$T -C $repo vote $slug yes --as v00000 --key $repo/tribune/synth-voter-key" | grep -E "Time|Range"
/usr/bin/time -f "vote peak memory: %M KiB" "$T" -C "$repo" vote $slug no --as v00000 --key "$repo/tribune/synth-voter-key" >/dev/null
