#!/usr/bin/env bash
# Crash safety (DESIGN invariant 2; issue 12). Long writes are killed with SIGKILL, their
# whole process group at once (git children included), at random moments: `synth`,
# `rate --batch` of a large file, `sync` to a local bare hub, parallel writers of every
# kind, and `site build` (see 5 for what it must leave). After every kill:
#   - `git fsck --strict` is clean and every ref points at a complete object;
#   - whatever the killed command reported as done before it died is there;
#   - what a command reports only at its end was written to each ref whole or not at all;
#   - a lock file left behind is named by the next command that needs it, with why removing
#     it is safe; the script removes it as that message says and goes on (one lock per
#     scenario is planted, as a kill inside the lock's window would leave it, so that this
#     path runs every time);
#   - the killed work can be finished: nothing already written is lost.
# Run by .ci/run after `cargo test --locked`, with the debug binary the tests built.
# CRASH_SEED=N replays a run's kill moments; TRIBUNE=PATH picks another binary.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tribune=${TRIBUNE:-$root/target/debug/tribune}
seed=${CRASH_SEED:-$(($(date +%s) % 100000))}
RANDOM=$seed
TRIALS=6 # per scenario
work=$(cd -P "$(mktemp -d "${TMPDIR:-/tmp}/tribune-crash.XXXXXX")" && pwd)
keep=0
trap 'if [ $keep = 1 ]; then echo "crash-safety: repositories of the failed cases kept in $work"; else rm -rf "$work"; fi' EXIT

# A pinned, isolated environment: never the user's home or git config.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_EDITOR
export GIT_CEILING_DIRECTORIES=$work HOME=$work/home TZ=UTC LC_ALL=C GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
export GIT_AUTHOR_NAME="Crash Test" GIT_AUTHOR_EMAIL=crash@example.org
export GIT_COMMITTER_NAME="Crash Test" GIT_COMMITTER_EMAIL=crash@example.org
export GIT_AUTHOR_DATE=2026-11-21T10:00:00Z GIT_COMMITTER_DATE=2026-11-21T10:00:00Z
mkdir -p "$HOME" "$work/in"

[ -x "$tribune" ] || { echo "crash-safety: no binary at $tribune (run cargo test first)"; exit 1; }
echo "crash-safety: seed $seed (CRASH_SEED=$seed replays the kill moments), $tribune"
started=$SECONDS

passed=0 failed=0 kills=0 locks=0 partial_batches=0
problems=()
problem() { problems+=("$*"); }
die() { echo "crash-safety: setup failed: $*"; keep=1; exit 1; }

# finish_trial NAME: counts the trial that just ran.
last_failed=0
finish_trial() {
    last_failed=0
    if ((${#problems[@]})); then
        last_failed=1
        failed=$((failed + 1))
        keep=1
        echo "FAIL $1"
        printf '       %s\n' "${problems[@]}"
    else
        passed=$((passed + 1))
        echo "ok   $1"
    fi
    problems=()
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# between LO HI: a random whole number in [LO, HI].
between() { echo $(($1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1))); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# run_killed MS OUT CMD...: runs CMD as its own process group and kills the whole group
# with SIGKILL after MS ms, unless it ended first. Sets $status (137: killed).
run_killed() {
    local ms=$1 out=$2
    shift 2
    setsid "$@" >"$out" 2>&1 &
    local pid=$!
    sleep_ms "$ms"
    kill -KILL -- "-$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null # no "Killed" notice from the shell
    status=$?
    if [ "$status" = 137 ]; then kills=$((kills + 1)); fi
}

# sound DIR: git fsck --strict has nothing to say, and every ref's whole history and
# trees are there.
sound() {
    local dir=$1 out oid ref
    out=$(git -C "$dir" fsck --strict --no-dangling 2>&1) || problem "$dir: git fsck failed: $out"
    [ -z "$out" ] || problem "$dir: git fsck --strict: $out"
    while read -r oid ref; do
        git -C "$dir" cat-file -e "$oid" 2>/dev/null || problem "$dir: $ref points at $oid, which is missing"
    done < <(git -C "$dir" for-each-ref --format='%(objectname) %(refname)')
    git -C "$dir" rev-list --objects --all >/dev/null 2>&1 ||
        problem "$dir: an object some ref needs is missing (git rev-list --objects --all fails)"
}

# json FILE KEY: a string field of the pretty JSON a command printed.
json() { sed -n "s/^  \"$2\": \"\(.*\)\",\{0,1\}\$/\1/p" "$1" | head -1; }
# complete FILE: did the command finish printing its JSON?
complete() { [ "$(tail -n 1 "$1" 2>/dev/null)" = "}" ]; }
ancestor() { git -C "$1" merge-base --is-ancestor "$2" "$3" 2>/dev/null; }
text_path() {
    local h
    h=$(printf %s "$1" | sha1sum)
    echo "articles/${h:0:2}/${h:2:2}/$1/index.md"
}
article() { # article FILE TITLE CONTINGENT BODY
    printf '+++\ntitle = "%s"\nauthors = ["C. Rash"]\ncontingent = "%s"\ndate = 2026-11-21\nlicense = "CC0-1.0"\n+++\n%s\n' \
        "$2" "$3" "$4" >"$1"
}
# plant DIR REF: the lock file a writer killed while holding REF's lock leaves behind.
plant() {
    local lock
    lock="$(git -C "$1" rev-parse --git-common-dir)/$2.lock"
    case $lock in /*) ;; *) lock="$1/$lock" ;; esac
    git -C "$1" rev-parse "$2" >"$lock"
    touch -d '1 minute ago' "$lock"
}

# probe DIR REL: runs the command that needs the lock REL (relative to the git dir) of DIR.
# (The caller counts $probe_n up first: probe runs in a subshell.)
probe_n=0
probe() {
    local dir=$1 rel=$2 slug contingent
    slug=$(git -C "$dir" ls-tree -r --name-only refs/heads/main articles 2>/dev/null | sed -n 's|/index\.md$||p' | head -1)
    slug=${slug##*/}
    contingent=$(git -C "$dir" ls-tree --name-only refs/heads/main roster/contingents/ 2>/dev/null | sed -n 's|.*/\(.*\)\.toml$|\1|p' | head -1)
    if [ -n "${sync_clone:-}" ] && [ "$dir" != "$sync_clone" ]; then
        # A lock on the hub: new work of the clone's own, then a sync that must push it.
        article "$work/in/probe$probe_n.md" "Probe $probe_n" c000 "After the crash."
        "$tribune" -C "$sync_clone" contribute "$work/in/probe$probe_n.md" --slug "probe-$probe_n" >/dev/null &&
            "$tribune" -C "$sync_clone" rate "probe-$probe_n" --score 1 --as ca >/dev/null &&
            "$tribune" -C "$sync_clone" sync
        return
    fi
    case $rel in
    refs/heads/main.lock | index.lock) # index.lock: a commit on the checked-out trunk refreshes the work tree
        article "$work/in/probe$probe_n.md" "Probe $probe_n" "$contingent" "After the crash."
        "$tribune" -C "$dir" contribute "$work/in/probe$probe_n.md" --slug "probe-$probe_n"
        ;;
    refs/notes/tribune/ratings/*.lock)
        local rater=${rel#refs/notes/tribune/ratings/}
        "$tribune" -C "$dir" rate "$slug" --score 1 --as "${rater%.lock}" --comment "probe $probe_n"
        ;;
    refs/heads/contingents/*.lock)
        local c=${rel#refs/heads/contingents/}
        git -C "$dir" show "main:$(text_path "$slug")" >"$work/in/probe$probe_n.md"
        echo "Probe $probe_n." >>"$work/in/probe$probe_n.md"
        "$tribune" -C "$dir" rewrite "$slug" --contingent "${c%.lock}" --file "$work/in/probe$probe_n.md"
        ;;
    refs/tribune/ballots/*.lock)
        local m=${rel##*/} s=${rel#refs/tribune/ballots/}
        m=${m%.lock}
        s=${s%/*}
        [ -f "$work/keys/$m" ] || { echo "no key for $m"; return 3; }
        "$tribune" -C "$dir" vote "$s" yes --as "$m" --key "$work/keys/$m"
        ;;
    refs/remotes/* | refs/tribune-sync/*) "$tribune" -C "$dir" sync ;;
    *)
        echo "no command to probe $rel"
        return 3
        ;;
    esac
}

# clear_locks DIR: every lock file in DIR's git directory must be named, by the error of the
# next command that needs it, with why removing it is safe; it is then removed as the
# message says, and that command must succeed.
clear_locks() {
    local dir=$1 gitdir lock rel out removed
    gitdir=$(git -C "$dir" rev-parse --absolute-git-dir)
    for _ in 1 2 3 4 5 6 7 8; do
        lock=$(find "$gitdir" -name '*.lock' -type f | sort | head -1)
        [ -n "$lock" ] || return 0
        locks=$((locks + 1))
        rel=${lock#"$gitdir"/}
        probe_n=$((probe_n + 1))
        out=$(probe "$dir" "$rel" 2>&1)
        # The work tree's index.lock only stops the refresh of the work tree: a warning.
        if [ $? = 0 ] && [ "$rel" != index.lock ]; then
            problem "$rel was left in $dir, and the next command ran as if it were not there"
            rm -f -- "$lock"
            continue
        fi
        removed=$(printf '%s\n' "$out" | sed -n 's/.*the lock is stale (left by a process that was killed) and it is safe to remove it: rm \(.*\) (git and tribune change.*/\1/p' | head -1)
        if [ "$removed" != "$lock" ]; then
            problem "$rel was left in $dir, and the next command did not name it with why removing it is safe: $out"
            rm -f -- "$lock"
            continue
        fi
        echo "       stale lock $rel: the next command said to remove it; removed"
        rm -f -- "$removed"
        probe_n=$((probe_n + 1))
        out=$(probe "$dir" "$rel" 2>&1) || problem "after removing $rel as told, the command still failed: $out"
    done
    problem "locks keep appearing in $dir"
}

###########################################################################################
# 1. synth: killed while it builds a commons. It reports only at its end, so every ref it
#    leaves is either absent, the value of a finished run, or (the trunk) its first commit.
synth_args=(--articles 10000 --contingents 10 --batch 1000 --single 100 --editions 3 --rewrites 200
    --raters 3 --ratings 1000 --voters 20 --challenges 20 --long-words 500)
t0=$(now_ms)
"$tribune" synth "$work/ref" "${synth_args[@]}" 2>"$work/ref.log" || die "synth: $(cat "$work/ref.log")"
t_synth=$(($(now_ms) - t0))
git -C "$work/ref" for-each-ref --format='%(refname) %(objectname)' >"$work/ref.refs"
first=$(git -C "$work/ref" rev-list --max-parents=0 refs/heads/main)
final=$(git -C "$work/ref" rev-parse refs/heads/main)
echo "synth: a finished run takes $t_synth ms and makes $(wc -l <"$work/ref.refs") refs"
for t in $(seq 1 $TRIALS); do
    d=$work/synth-$t
    ms=$(between $((t_synth / 20)) $((t_synth * 3 / 4)))
    run_killed "$ms" "$work/synth-$t.out" "$tribune" synth "$d" "${synth_args[@]}"
    if git -C "$d" rev-parse --git-dir >/dev/null 2>&1; then
        sound "$d"
        others=0
        while read -r ref oid; do
            want=$(sed -n "s|^$ref ||p" "$work/ref.refs")
            [ "$ref" = refs/heads/main ] || others=$((others + 1))
            if [ "$oid" != "$want" ] && ! { [ "$ref" = refs/heads/main ] && [ "$oid" = "$first" ]; }; then
                problem "$ref is $oid: neither what a finished synth writes ($want) nor its starting point"
            fi
        done < <(git -C "$d" for-each-ref --format='%(refname) %(objectname)')
        main=$(git -C "$d" rev-parse -q --verify refs/heads/main)
        if [ "$others" -gt 0 ] && [ "$main" != "$final" ]; then
            problem "other refs were written before the trunk was (trunk $main)"
        fi
        if grep -q '^synthesised' "$work/synth-$t.out"; then
            diff -q <(git -C "$d" for-each-ref --format='%(refname) %(objectname)') "$work/ref.refs" >/dev/null ||
                problem "synth reported it was done, but the refs differ from a finished run's"
        fi
        clear_locks "$d"
    elif grep -q '^synthesised' "$work/synth-$t.out"; then
        problem "synth reported it was done, but $d is no repository"
    fi
    how=$([ "$status" = 137 ] && echo "killed at $ms ms" || echo "finished (exit $status) before the kill at $ms ms")
    finish_trial "synth $how"
    [ $last_failed = 1 ] || rm -rf "$d"
done

###########################################################################################
# 2. rate --batch of a large file, by three new raters: it reports only at its end; each
#    rater's ratings are one notes commit, there whole or not at all.
git -C "$work/ref" ls-tree -r --name-only refs/heads/main articles | sed -n 's|^articles/../../\([^/]*\)/index\.md$|\1|p' |
    head -2500 >"$work/slugs"
lines=$(wc -l <"$work/slugs")
for r in 0 1 2; do
    awk -v r=$r '{ printf "{\"slug\":\"%s\",\"score\":%d,\"rater\":\"cb%d\",\"comment\":\"crash %d %d\"}\n", $1, NR % 5 - 2, r, r, NR }' "$work/slugs"
done >"$work/batch.jsonl"
cp -a "$work/ref" "$work/batch-full"
t0=$(now_ms)
"$tribune" -C "$work/batch-full" rate --batch "$work/batch.jsonl" >/dev/null || die "rate --batch failed"
t_batch=$(($(now_ms) - t0))
rm -rf "$work/batch-full"
echo "rate --batch: $((lines * 3)) ratings by 3 raters take $t_batch ms"
for t in $(seq 1 $TRIALS); do
    d=$work/batch-$t
    cp -a "$work/ref" "$d"
    ms=$(between $((t_batch / 20)) $((t_batch * 3 / 4)))
    run_killed "$ms" "$work/batch-$t.out" "$tribune" -C "$d" rate --batch "$work/batch.jsonl"
    sound "$d"
    whole=0 none=0
    for r in 0 1 2; do
        n=$(git -C "$d" notes --ref="refs/notes/tribune/ratings/cb$r" list 2>/dev/null | wc -l)
        case $n in
        0) none=$((none + 1)) ;;
        "$lines") whole=$((whole + 1)) ;;
        *) problem "cb$r has $n of its $lines ratings: half written" ;;
        esac
    done
    if grep -q "^Recorded $((lines * 3)) ratings" "$work/batch-$t.out" && [ $whole != 3 ]; then
        problem "rate --batch reported all $((lines * 3)) ratings, but only $whole raters of 3 have theirs"
    fi
    if [ $whole -gt 0 ] && [ $none -gt 0 ]; then
        partial_batches=$((partial_batches + 1))
        [ "${CRASH_BATCH_STRICT:-0}" = 0 ] ||
            problem "the batch is half written: $whole raters of 3 have their ratings, $none have none"
    fi
    [ "$t" != 1 ] || plant "$d" refs/notes/tribune/ratings/r0000
    clear_locks "$d"
    how=$([ "$status" = 137 ] && echo "killed at $ms ms" || echo "finished (exit $status) before the kill at $ms ms")
    finish_trial "rate --batch $how ($whole of 3 raters written)"
    [ $last_failed = 1 ] || rm -rf "$d"
done

###########################################################################################
# 3. sync to a local bare hub, from a clone with local work, after another clone pushed:
#    killed while it fetches, replays, merges or pushes. Then every kill must leave both
#    sides sound, and a second sync must bring all of both clones' work to the hub.
hub=$work/hub a=$work/a b=$work/b
cp -a "$work/ref" "$hub"
"$tribune" clone "$hub" "$a" >/dev/null 2>&1 || die "clone a"
"$tribune" clone "$hub" "$b" >/dev/null 2>&1 || die "clone b"
head -1500 "$work/slugs" | awk '{ printf "{\"slug\":\"%s\",\"score\":1,\"rater\":\"ca\",\"comment\":\"a %d\"}\n", $1, NR }' >"$work/a.jsonl"
"$tribune" -C "$a" rate --batch "$work/a.jsonl" >/dev/null || die "rate in a"
for i in $(seq 1 15); do
    article "$work/in/a$i.md" "From a $i" c000 "Written in clone a, number $i."
    "$tribune" -C "$a" contribute "$work/in/a$i.md" --slug "from-a-$i" >/dev/null || die "contribute in a"
done
for i in 1 2 3; do
    article "$work/in/b$i.md" "From b $i" c001 "Written in clone b, number $i."
    "$tribune" -C "$b" contribute "$work/in/b$i.md" --slug "from-b-$i" >/dev/null || die "contribute in b"
done
"$tribune" -C "$b" sync >/dev/null || die "sync b"
mv "$hub" "$work/hub.t" && mv "$a" "$work/a.t"
# all_there: the hub has every article of both clones and every rating of a's.
all_there() {
    for i in $(seq 1 15); do
        git -C "$hub" cat-file -e "main:$(text_path "from-a-$i")" 2>/dev/null || problem "the hub lacks from-a-$i"
    done
    for i in 1 2 3; do
        git -C "$hub" cat-file -e "main:$(text_path "from-b-$i")" 2>/dev/null || problem "the hub lacks from-b-$i"
    done
    n=$(git -C "$hub" notes --ref=refs/notes/tribune/ratings/ca list 2>/dev/null | wc -l)
    [ "$n" -ge 1500 ] || problem "the hub has $n of a's 1500 ratings"
}
cp -a "$work/hub.t" "$hub" && cp -a "$work/a.t" "$a"
t0=$(now_ms)
"$tribune" -C "$a" sync >/dev/null 2>&1 || die "sync a"
t_sync=$(($(now_ms) - t0))
all_there
((${#problems[@]} == 0)) || die "a finished sync: ${problems[*]}"
rm -rf "$hub" "$a"
echo "sync: a finished sync of 15 articles and 1500 ratings takes $t_sync ms"
sync_clone=$a
for t in $(seq 1 $TRIALS); do
    cp -a "$work/hub.t" "$hub" && cp -a "$work/a.t" "$a"
    ms=$(between $((t_sync / 20)) $((t_sync * 3 / 4)))
    run_killed "$ms" "$work/sync-$t.out" "$tribune" -C "$a" sync
    sound "$a"
    sound "$hub"
    if [ "$status" = 0 ]; then all_there; fi
    [ "$t" != 1 ] || plant "$hub" refs/heads/main
    clear_locks "$a"
    clear_locks "$hub"
    msg=$("$tribune" -C "$a" sync 2>&1) || problem "the sync after the kill failed: $msg"
    all_there
    sound "$a"
    sound "$hub"
    how=$([ "$status" = 137 ] && echo "killed at $ms ms" || echo "finished (exit $status) before the kill at $ms ms")
    finish_trial "sync $how"
    if [ $last_failed = 1 ]; then mv "$hub" "$work/failed-sync-$t-hub" && mv "$a" "$work/failed-sync-$t-a"; fi
    rm -rf "$hub" "$a"
done
sync_clone=

###########################################################################################
# 4. Parallel writers: eight loops of contribute, rate, rate --batch, vote, rewrite and
#    challenge on one commons, all killed at one random moment. Every record a command
#    printed in full before the kill must be there.
p=$work/par.t
"$tribune" init "$p" --org "Crash Organisation" >/dev/null || die "init"
"$tribune" -C "$p" roster add-contingent abc --name "ABC Collective" >/dev/null || die "contingent"
"$tribune" -C "$p" roster add-contingent xyz --name "XYZ Circle" >/dev/null || die "contingent"
mkdir -p "$work/keys"
for m in m1 m2; do
    ssh-keygen -q -t ed25519 -N '' -C "$m" -f "$work/keys/$m" || die "ssh-keygen"
    "$tribune" -C "$p" roster add-member "$m" --contingent abc --name "$m" --email "$m@example.org" \
        --public-key "$(cat "$work/keys/$m.pub")" >/dev/null || die "add-member $m"
done
printf '+++\ntitle = "On the crash"\n+++\nWe hold.\n' >"$work/in/statement.md"
"$tribune" -C "$p" propose "$work/in/statement.md" --slug on-the-crash --deadline 2026-12-01T00:00:00Z >/dev/null ||
    die "propose"
declare -a versions
for i in 0 1 2 3 4 5 6 7; do
    article "$work/in/base$i.md" "Base $i" abc "A story."
    "$tribune" -C "$p" contribute "$work/in/base$i.md" --slug "base-$i" >/dev/null || die "contribute base-$i"
    versions[i]=$(git -C "$p" rev-parse "main:$(text_path "base-$i")")
done
par=$work/par
out=$work/par-out
# writer NAME: the loop of one writer (run in its own process group).
writer() {
    local n t=$1
    for n in $(seq 1 400); do
        local o=$out/$t.$n
        case $t in
        contribute-*)
            article "$out/$t.$n.md" "$t $n" abc "Written by $t, number $n."
            "$tribune" -C "$par" contribute "$out/$t.$n.md" --slug "$t-$n" --json >"$o" 2>&1
            ;;
        rate) "$tribune" -C "$par" rate "base-$((n % 8))" --score 1 --as pr --comment "pr $n" --json >"$o" 2>&1 ;;
        batch)
            for k in 0 1 2; do
                echo "{\"slug\":\"base-$(((n + k) % 8))\",\"score\":-1,\"rater\":\"pb\",\"comment\":\"pb $n $k\"}"
            done >"$out/$t.$n.jsonl"
            "$tribune" -C "$par" rate --batch "$out/$t.$n.jsonl" >"$o" 2>&1
            ;;
        vote-*)
            local m=${t#vote-} choice=yes
            [ $((n % 2)) = 0 ] && choice=no
            "$tribune" -C "$par" vote on-the-crash "$choice" --as "$m" --key "$work/keys/$m" --json >"$o" 2>&1
            ;;
        rewrite)
            article "$out/$t.$n.md" "Base $((n % 8))" abc "A story, retold for the $n. time."
            "$tribune" -C "$par" rewrite "base-$((n % 8))" --contingent xyz --file "$out/$t.$n.md" --json >"$o" 2>&1
            ;;
        challenge) "$tribune" -C "$par" challenge --from xyz --to abc -m "Crash question $n" --json >"$o" 2>&1 ;;
        esac
    done
}
export -f writer article
export tribune par out work
kinds=(contribute-1 contribute-2 rate batch vote-m1 vote-m2 rewrite challenge)
for t in $(seq 1 $TRIALS); do
    rm -rf "$par" "$out" && cp -a "$p" "$par" && mkdir -p "$out"
    pids=()
    for k in "${kinds[@]}"; do
        setsid bash -c 'writer "$1"' _ "$k" >/dev/null 2>&1 &
        pids+=($!)
    done
    ms=$(between 500 3000)
    sleep_ms "$ms"
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    kills=$((kills + 1))
    sound "$par"
    reported=0
    for f in "$out"/*.[0-9]*; do
        case $f in *.md | *.jsonl) continue ;; esac
        name=${f##*/}
        kind=${name%.*}
        n=${name##*.}
        case $kind in
        batch)
            grep -q '^Recorded 3 ratings by 1 rater' "$f" || continue
            for k in 0 1 2; do
                reported=$((reported + 1))
                git -C "$par" notes --ref=refs/notes/tribune/ratings/pb show "${versions[(n + k) % 8]}" 2>/dev/null |
                    grep -qF "\"comment\":\"pb $n $k\"" || problem "batch $n line $k was reported but is missing"
            done
            continue
            ;;
        esac
        complete "$f" || continue
        reported=$((reported + 1))
        commit=$(json "$f" commit)
        case $kind in
        contribute-* | challenge)
            path=$(json "$f" path)
            { git -C "$par" cat-file -e "main:$path" 2>/dev/null && ancestor "$par" "$commit" main; } ||
                problem "$name: $path ($commit) was reported but is not on the trunk"
            ;;
        rate)
            { git -C "$par" notes --ref=refs/notes/tribune/ratings/pr show "$(json "$f" version)" 2>/dev/null |
                grep -qF "\"comment\":\"pr $n\"" && ancestor "$par" "$commit" refs/notes/tribune/ratings/pr; } ||
                problem "$name: rating $commit was reported but is missing"
            ;;
        vote-*)
            ancestor "$par" "$commit" "$(json "$f" ref)" || problem "$name: ballot $commit was reported but is missing"
            ;;
        rewrite)
            ancestor "$par" "$commit" "refs/heads/$(json "$f" branch)" ||
                problem "$name: rewrite $commit was reported but is not on its edition"
            ;;
        esac
    done
    [ "$reported" -gt 0 ] || problem "no writer reported anything in $ms ms"
    [ "$t" != 1 ] || plant "$par" refs/heads/main
    clear_locks "$par"
    sound "$par"
    finish_trial "parallel writers killed at $ms ms ($reported records reported before, all checked)"
    if [ $last_failed = 1 ]; then mv "$par" "$work/failed-parallel-$t" && mv "$out" "$work/failed-parallel-$t-out"; fi
done

###########################################################################################
# 5. site build of 2,000 articles, incremental (after ratings on 300) or --full, killed at random
#    moments. Every file a reader sees in OUT meanwhile is whole, the old site's or the new
#    one's; the next build finishes (or drops) what the killed one left, and OUT is then
#    exactly what a whole build makes; nothing of a build is left beside OUT.
site_repo=$work/site-repo
"$tribune" synth "$site_repo" --articles 2000 --contingents 5 --batch 500 --single 20 >/dev/null 2>&1 ||
    die "synth for the site failed"
"$tribune" -C "$site_repo" site build "$work/site-old" >/dev/null || die "site build failed"
git -C "$site_repo" ls-tree -r --name-only refs/heads/main articles |
    sed -n 's|^articles/../../\([^/]*\)/index\.md$|\1|p' | head -300 | awk '{ printf "{\"slug\":\"%s\",\"score\":1,\"rater\":\"cs\"}\n", $1 }' >"$work/site.jsonl"
"$tribune" -C "$site_repo" rate --batch "$work/site.jsonl" >/dev/null || die "rate --batch for the site failed"
t0=$(now_ms)
"$tribune" -C "$site_repo" site build "$work/site-new" >/dev/null || die "site build failed"
t_site_full=$(($(now_ms) - t0))
cp -a "$work/site-old" "$work/site-inc"
t0=$(now_ms)
"$tribune" -C "$site_repo" site build "$work/site-inc" >/dev/null || die "site build failed"
t_site_inc=$(($(now_ms) - t0))
diff -r "$work/site-inc" "$work/site-new" >/dev/null || die "an incremental build differs from a whole one"
rm -rf "$work/site-inc"
echo "site build: a whole build takes $t_site_full ms, an incremental one (300 pages) $t_site_inc ms"
for t in $(seq 1 $TRIALS); do
    out=$work/site-$t
    cp -a "$work/site-old" "$out"
    if [ $((t % 2)) = 1 ]; then
        # Late, mostly: most of an incremental build is reading and rendering, its renames
        # come at the end.
        kind=incremental extra=()
        ms=$(between $((t_site_inc / 4)) $((t_site_inc * 9 / 10)))
    else
        kind=full extra=(--full)
        ms=$(between $((t_site_full / 20)) $((t_site_full * 3 / 4)))
    fi
    run_killed "$ms" "$work/site-$t.out" "$tribune" -C "$site_repo" site build "$out" "${extra[@]}"
    # The files that are not the new site's must be the old one's (diff -rq lists them).
    [ -f "$out/index.html" ] || problem "$kind: OUT has no front page after the kill"
    while read -r rel; do
        case $rel in .tribune-site-staging | .tribune-site-staging/*) continue ;; esac
        cmp -s "$out/$rel" "$work/site-old/$rel" || problem "$kind: $rel is neither the old site's nor the new one's"
    done < <(diff -rq "$out" "$work/site-new" 2>&1 |
        sed -n -e "s|^Files $out/\(.*\) and $work/site-new/.* differ\$|\1|p" -e "s|^Only in $out: \(.*\)\$|\1|p" \
            -e "s|^Only in $out/\(.*\): \(.*\)\$|\1/\2|p")
    "$tribune" -C "$site_repo" site build "$out" >"$work/site-$t.next" 2>&1 ||
        problem "$kind: the build after the kill failed: $(cat "$work/site-$t.next")"
    diff -r "$out" "$work/site-new" >/dev/null || problem "$kind: after the next build, OUT differs from a whole build"
    left=$(find "$work" -maxdepth 1 -name ".site-$t.tribune-*")
    [ -z "$left" ] || problem "$kind: left beside OUT: $left"
    how=$([ "$status" = 137 ] && echo "killed at $ms ms" || echo "finished (exit $status) before the kill at $ms ms")
    finish_trial "site build ($kind) $how"
    [ $last_failed = 1 ] || rm -rf "$out"
done

elapsed=$((SECONDS - started))
[ $kills -ge 20 ] || {
    echo "FAIL only $kills kills landed while a write was running (at least 20 are needed)"
    failed=$((failed + 1))
}
if [ $partial_batches -gt 0 ]; then
    echo "note: $partial_batches rate --batch kills left some raters written and others not: each rater's" \
        "notes are one commit, but a batch of several raters is not one (CRASH_BATCH_STRICT=1 fails on it)"
fi
echo "crash-safety: $passed passed, $failed failed ($kills kills, $locks stale locks named and removed, ${elapsed}s)"
[ $failed = 0 ]
