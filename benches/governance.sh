#!/usr/bin/env bash
# `vote`, `tally` and `contribute` on a founded commons, the release before governance and
# this one side by side (issue 11: no slower than before by more than 10%). Rerun with:
#   bash benches/governance.sh OLD_BIN NEW_BIN [WORKDIR]   (MEMBERS=…, ARTICLES=…, RUNS=…)
# e.g.  bash benches/governance.sh /work/bench-bin/tribune-edc807c target/release/tribune
# One synthetic commons, built by NEW_BIN: ARTICLES (default 100,000) articles across 100
# contingents; founded afterwards, then MEMBERS (default 10,000) members admitted one signed
# commit each; then 1,000 voters (v00000…, c000) admitted and a statement proposed
# (`synthetic-statement`, signed by m000-0), on which every voter has voted. It is audited once
# by NEW_BIN (the audit cache is what every command of a founded commons reads first; the old
# build ignores it), then copied twice (cp -a), WORKDIR/old and WORKDIR/new, so that neither
# binary reads state the other wrote, in the layout benches/paired.py reads (slugs, prep.sh
# with `next`). benches/paired.py then times the two builds interleaved, medians of RUNS
# (default 25) runs each: `vote synthetic-statement yes --as v00000 --key KEY`, `tally
# synthetic-statement` (an electorate of every member, 1,000 ballots) and `contribute` of a
# new article of c001. The new build contributes signed by m001-0 (a member of c001) with
# --key, since a founded commons refuses an unsigned act in a contingent's name; the old one
# has no --key on contribute and contributes unsigned (it knows no rule against that).
# Each admission rewrites the flat roster/members tree, so the synthetic history grows with the
# square of MEMBERS: 10,000 takes several GB of memory and disk and a long synth. The commons
# is kept in WORKDIR/commons and used again when NEW_BIN and the sizes are the same (its stamp
# in WORKDIR/commons.stamp); everything else in WORKDIR is made anew. WORKDIR defaults to
# /tmp/tribune-bench-governance. Needs GNU time (/usr/bin/time) and python3. Do not run it while
# a cargo build runs: on 2 cores the build takes one of them.
. "$(dirname "$0")/common.sh"
bench_builds governance.sh "$@"
work=${3:-/tmp/tribune-bench-governance}
articles=${ARTICLES:-100000}
members=${MEMBERS:-10000}
runs=${RUNS:-25}
bench_env
echo "old: $old_bin ($(sha256sum "$old_bin" | cut -c1-16))"
echo "new: $new_bin ($(sha256sum "$new_bin" | cut -c1-16))"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
repo=$work/commons
synth=(--articles "$articles" --contingents 100 --voters 1000 --founded "$members")
stamp="$(sha256sum "$new_bin" | cut -c1-64) ${synth[*]}"
if [ -f "$repo/HEAD" ] && [ "$(cat "$work/commons.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "== the synthetic commons of an earlier run, by the same NEW_BIN ($articles articles, $members members)"
  find "$work" -mindepth 1 -maxdepth 1 ! -name commons ! -name commons.stamp -exec rm -rf {} +
else
  rm -rf "$work"
  mkdir -p "$work"
  echo "== building the synthetic commons ($articles articles, 100 contingents, founded, $members members admitted one commit each, 1,000 voters who voted) with NEW_BIN"
  /usr/bin/time -f "synth: %e s wall, %M KiB peak" "$new_bin" synth "$repo" "${synth[@]}" | tail -1
  /usr/bin/time -f "audit from nothing: %e s wall, %M KiB peak" "$new_bin" -C "$repo" audit | tail -1
  echo "$stamp" > "$work/commons.stamp"
fi
echo "== trunk: $(git -C "$repo" rev-list --count main) commits, $(git -C "$repo" ls-tree --name-only main roster/members/ | wc -l) members; $(du -sh "$repo" | cut -f1) on disk"
echo "   $(df -h --output=avail "$work" | tail -1 | tr -d ' ') free"

# The layout of compare.sh's WORKDIR, for paired.py: the copies, slugs and prep.sh.
for b in old new; do cp -a "$repo" "$work/$b"; done
bench_slugs "$repo" "$work"
bench_prep "$work" "$old_bin" "$new_bin"
# The new build's contribute signed by m001-0, a member of c001 (see paired.py).
printf -- '--key\n%s\n' "$work/new/tribune/synth-member-key" > "$work/extra-contribute-new"

echo "== each command once, old then new (and the checks that the new build's commons is founded)"
audit=$("$new_bin" -C "$work/new" audit --json)
echo "$audit" | grep -q '"root": "[0-9a-f]\{40\}"' || { echo "FAILED: no root of authority"; echo "$audit"; exit 1; }
echo "$audit" | grep -q '"findings": \[\]' || { echo "FAILED: the audit finds broken rules"; echo "$audit"; exit 1; }
echo "[new] audit: root $(echo "$audit" | sed -n 's/.*"root": "\(.*\)".*/\1/p'), no findings"
for b in old new; do
  bin=$old_bin; [ $b = new ] && bin=$new_bin
  "$bin" -C "$work/$b" vote synthetic-statement yes --as v00000 --key "$work/$b/tribune/synth-voter-key" | sed -n "1s/^/[$b] /p"
  "$bin" -C "$work/$b" tally synthetic-statement | grep -E '^(Electorate|Result)' | sed "s/^/[$b] /"
  bash "$work/prep.sh" next $b
  more=(); [ $b = new ] && more=(--key "$work/new/tribune/synth-member-key")
  "$bin" -C "$work/$b" contribute "$work/next-$b.md" "${more[@]}" | sed -n "1s/^/[$b] /p"
done
if "$new_bin" -C "$work/new" contribute "$work/in/a100.md" >/dev/null 2>&1; then
  echo "FAILED: the new build contributed unsigned in c001's name"; exit 1
fi
echo "[new] contribute unsigned in c001's name: refused"

echo "== paired, interleaved medians (benches/paired.py, $runs runs each), $articles articles, $members members"
python3 benches/paired.py "$old_bin" "$new_bin" "$work" "$runs" vote tally contribute
echo "total: $SECONDS s"
