#!/usr/bin/env bash
# Benchmark of the article rules and the hub's pre-receive hook (issue 11) on a founded
# synthetic commons: 100,000 articles across 100 contingents, founded afterwards, then
# 10,000 members admitted one signed commit each. Rerun with:
#   bash benches/hook.sh [WORKDIR]        (MEMBERS=… and ARTICLES=… to change the sizes)
# Each admission rewrites the flat roster/members tree, so the synthetic history grows with
# the square of MEMBERS: the default 10,000 takes several GB of memory and disk while synth
# writes its pack; the figures in CHANGELOG.md were taken with MEMBERS=3000.
# Needs hyperfine (apt-get install hyperfine).
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/tribune-bench-hook}
articles=${ARTICLES:-100000}
members=${MEMBERS:-10000}
bench_setup "$work" "$articles articles, 100 contingents, founded, $members members admitted one commit each" \
  --articles "$articles" --contingents 100 --founded "$members"
key=$repo/tribune/synth-member-key
echo "== trunk: $(git -C "$repo" rev-list --count main) commits, $(git -C "$repo" ls-tree --name-only main roster/members/ | wc -l) members"

echo "== audit from nothing (cache deleted before each run)"
hyperfine -w 0 -r 3 -i --prepare "rm -f $repo/tribune/audit.json" "$T -C $repo audit" | grep -E "Time|Range"
"$T" -C "$repo" audit >/dev/null || true

# A push of one contribution by m001-0 (a member of c001), signed with git's SSH signing,
# judged by the hook exactly as git runs it: objects in a quarantine directory, refs untouched.
hub=$work/hub.git
if [ ! -d "$hub" ]; then
  git clone -q --bare "$repo" "$hub"
  cp "$repo/tribune/audit.json" "$hub/" 2>/dev/null || true
fi
"$T" hook install "$hub"
w=$work/w
rm -rf "$w"
git init -q "$w"
git -C "$w" fetch -q --depth 1 "$hub" main
git -C "$w" reset -q --soft FETCH_HEAD
git -C "$w" read-tree FETCH_HEAD
slug=bench-contribution
shard=$(printf %s "$slug" | sha1sum | sed 's#^\(..\)\(..\).*#\1/\2#')
mkdir -p "$w/articles/$shard/$slug"
printf '+++\ntitle = "Bench contribution"\nauthors = ["Bench"]\ncontingent = "c001"\ndate = 2026-11-21\nlicense = "CC0-1.0"\n+++\nA short body.\n' \
  > "$w/articles/$shard/$slug/index.md"
git -C "$w" add "articles/$shard/$slug/index.md"
git -C "$w" -c gpg.format=ssh -c user.signingkey="$key" commit -q -S -m "contribute: Bench contribution"
old=$(git -C "$hub" rev-parse main)
new=$(git -C "$w" rev-parse HEAD)
# The new objects in a quarantine directory, as receive-pack holds them during the hook.
q=$work/quarantine
rm -rf "$q"; mkdir -p "$q/pack"
printf '%s\n^%s\n' "$new" "$old" | git -C "$w" pack-objects -q --revs "$q/pack/pack" >/dev/null
cat > "$work/hook-run.sh" <<RUN
cd $hub && GIT_DIR=. GIT_OBJECT_DIRECTORY=$q GIT_ALTERNATE_OBJECT_DIRECTORIES=$hub/objects GIT_QUARANTINE_PATH=$q \\
  exec $T hook pre-receive <<<'$old $new refs/heads/main'
RUN
echo "== hook pre-receive, a push of one signed contribution (warm audit cache)"
bash "$work/hook-run.sh" && echo "accepted"
hyperfine -N -w 3 -r 30 "bash $work/hook-run.sh" | grep -E "Time|Range"

echo "== the same push through git (git push to the hub over a path, the hook installed)"
git -C "$w" push -q "$hub" HEAD:refs/heads/main 2>&1 | tail -2
echo "pushed: $(git -C "$hub" rev-parse main)"
git -C "$hub" update-ref refs/heads/main "$old" "$new"

echo "== incremental audit after one new commit (the cache as audited at the hub's tip)"
git -C "$repo" fetch -q "$w" HEAD:refs/heads/bench-new
git -C "$repo" update-ref refs/heads/main "$old"
rm -f "$repo/tribune/audit.json"
"$T" -C "$repo" audit >/dev/null
cp "$repo/tribune/audit.json" "$work/audit-at-old.json"
hyperfine -w 1 -r 10 --prepare "cp $work/audit-at-old.json $repo/tribune/audit.json; git -C $repo update-ref refs/heads/main $new" \
  "$T -C $repo audit" | grep -E "Time|Range"
cp "$work/audit-at-old.json" "$repo/tribune/audit.json"
git -C "$repo" update-ref refs/heads/main "$old"
git -C "$repo" update-ref -d refs/heads/bench-new
