//! Review of `tribune sync` and `tribune clone`: each test sets up a network of clones
//! around a bare hub, does what users of plain git do too, and asserts what the SYNC
//! contract (format.md) and DESIGN.md promise. Each one fails on the code as reviewed.

use crate::harness::{add_keyed_member, keypair, rev, text_path, Env};
use crate::sync_fixture::*;

/// DATA LOSS. b deletes an article (plain `git rm`, as the format allows) while a corrects
/// it. Both sides changed the file, so the contract says conflict: stop and keep both. The
/// replay instead drops b's deletion silently: no CONFLICT, no sync-conflicts branch, and
/// b's commit is gone from every history (the sync even exits 0 and pushes).
#[test]
fn a_local_deletion_of_a_text_the_remote_changed_is_not_dropped_silently() {
    let (n, a, b) = Net::two_with_heat();
    n.update(&a, "Heat at the depot", "abc", "A's correction.");
    n.t(&a, &["sync"]).ok();
    n.git(&b, &["rm", "-q", &text_path(HEAT)]).ok();
    n.git(&b, &["commit", "-q", "-m", "remove: Heat at the depot (legal request)"]).ok();
    let deleted_at = rev(&n.env, &b, "main");
    let r = n.t(&b, &["sync"]);
    assert_eq!(r.code, 3, "the sync must stop on a delete/modify conflict:\n{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("CONFLICT"), "{}", r.stdout);
    // b's trunk as it was (with the deletion) is kept.
    let kept = n.git(&b, &["for-each-ref", "--format=%(objectname)", "refs/heads/sync-conflicts/"]).ok().stdout;
    assert!(kept.contains(&deleted_at), "the local trunk is not kept: {kept:?}");
}

/// CRASH / MESSAGE. a deletes an article that b has corrected. The replay sees a conflict,
/// moves b's trunk, then keeping b's text as a rival version fails (`base_for` finds no
/// trunk article) and the whole sync dies with "there is no article on the trunk": no
/// CONFLICT line, no report, and the next sync pushes as if nothing had happened, so b's
/// correction is never mentioned again.
#[test]
fn a_local_change_to_a_text_the_remote_deleted_is_a_reported_conflict() {
    let (n, a, b) = Net::two_with_heat();
    n.git(&a, &["rm", "-q", &text_path(HEAT)]).ok();
    n.git(&a, &["commit", "-q", "-m", "remove: Heat at the depot"]).ok();
    n.t(&a, &["sync"]).ok();
    n.update(&b, "Heat at the depot", "abc", "B's correction.");
    let r = n.t(&b, &["sync"]).fails(3, "sync stopped");
    // One branch keeps b's text, and the CONFLICT line names it.
    let kept = n.kept_branches(&b);
    let kept: Vec<&str> = kept.lines().map(|l| l.trim_start_matches(['*', ' '])).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let path = text_path(HEAT);
    let conflict = r.stdout.lines().find(|l| l.starts_with(&format!("CONFLICT {path}:"))).unwrap_or_else(|| {
        panic!("no CONFLICT line for {path}:\n{}", r.stdout);
    });
    assert!(conflict.contains(&format!("kept on the branch {} ", kept[0])), "{conflict}");
    n.env.fsck(&b);
}

/// WRONG RESULT. `git remote add` of another organisation's commons (or a wrong URL) and
/// `tribune sync`: the trunks share no history, yet every local commit is "replayed" onto
/// the other organisation's trunk; tribune.toml conflicts, the local trunk becomes Org
/// Two's, and the hint says to sync again "to publish", which pushes Org One's articles into
/// Org Two's commons. Unrelated histories must be refused and the trunk left alone.
#[test]
fn syncing_with_a_commons_of_unrelated_history_is_refused() {
    let n = Net::bare();
    let a = n.clone("a");
    n.contribute(&a, "Heat at the depot", "abc", "Org one's report.");
    let other = n.env.path("other").to_string_lossy().into_owned();
    n.env.tribune(&["init", &other, "--org", "Another Organisation"]).ok();
    n.git(&a, &["remote", "add", "two", &other]).ok();
    let before = rev(&n.env, &a, "main");
    let r = n.t(&a, &["sync", "two"]).fails(1, "error: this commons and two share no history");
    assert!(r.stderr.contains("hint: two is another commons; check its URL with `git remote -v`, nothing was changed"));
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(rev(&n.env, &a, "main"), before, "the trunk was rewritten onto another commons:\n{}", r.stdout);
    let toml = n.git(&a, &["show", "main:tribune.toml"]).ok().stdout;
    assert!(toml.contains("Mass Organization XYZ"), "{toml}");
    assert!(n.kept_branches(&a).trim().is_empty());
}

/// WRONG RESULT. b runs plain `git pull` (a merge of the remote's trunk, the most common
/// git habit) and later syncs after a corrected the same article again. b never edited the
/// article, but the first-parent diff of the merge commit carries the remote's older text,
/// so sync reports a CONFLICT, stops, and commits a's *old* text as abc's rival version
/// "kept by tribune sync", which the next sync publishes to everyone.
#[test]
fn a_plain_git_pull_merge_is_not_replayed_as_a_conflict() {
    let (n, a, b) = Net::two_with_heat();
    n.update(&a, "Heat at the depot", "abc", "A's first correction.");
    n.t(&a, &["sync"]).ok();
    n.contribute(&b, "Mine", "xyz", "B's own report.");
    n.git(&b, &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]).ok();
    n.update(&a, "Heat at the depot", "abc", "A's second correction.");
    n.t(&a, &["sync"]).ok();
    let r = n.t(&b, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let trunk = n.t(&b, &["show", HEAT, "--raw"]).ok().stdout;
    assert!(trunk.contains("A's second correction"), "{trunk}");
    n.t(&b, &["show", "mine"]).ok();
    let abc = n.git(&b, &["for-each-ref", "refs/heads/contingents/abc"]).ok().stdout;
    assert!(abc.is_empty(), "a spurious rival version was made: {abc}");
}

/// WRONG RESULT (credit). A local side branch merged into the trunk (`git merge --no-ff`):
/// only the first-parent line is replayed, so Dana's contribution is flattened into the
/// merge commit: published as authored by whoever merged, with the message "Merge branch
/// 'side'" and no Tribune-* trailers; Dana's commit is in no published history.
#[test]
fn a_merged_side_branch_keeps_its_author_and_trailers_when_replayed() {
    let mut n = Net::bare();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Cold store", "abc", "From a.");
    n.t(&a, &["sync"]).ok();
    n.env.vars.push(("GIT_AUTHOR_NAME".into(), "Dana Okafor".into()));
    n.contribute(&b, "Side report", "abc", "Dana's report.");
    n.env.vars.clear();
    n.git(&b, &["branch", "side", "main"]).ok();
    n.git(&b, &["reset", "-q", "--hard", "HEAD~1"]).ok();
    n.contribute(&b, "Mine", "xyz", "B's own report.");
    n.git(&b, &["merge", "-q", "--no-ff", "--no-edit", "side"]).ok();
    n.t(&b, &["sync"]).ok();
    let log = n.git(&n.hub, &["log", "--format=%an|%s|%(trailers:key=Tribune-Article,valueonly)", "main"]).ok().stdout;
    assert!(log.contains("Dana Okafor|contribute: Side report|side-report"), "{log}");
}

/// WRONG RESULT (sync stuck). b's abc edition is behind the hub's. A trunk conflict keeps
/// b's text as abc's rival version by committing on b's *stale* local edition before the
/// edition is fast-forwarded (the trunk is integrated first), so the edition diverges from
/// the hub's: DIVERGED on every later sync, and the kept rival version is never published.
#[test]
fn a_text_kept_after_a_conflict_does_not_make_the_edition_diverge() {
    let (n, a, b) = Net::two_with_heat();
    n.contribute(&a, "Cold store", "abc", "Cold, original.");
    let f = n.env.write("in/cold-rw.md", article("Cold store", "abc", "Cold, ABC's rewrite."));
    n.t(&a, &["rewrite", "cold-store", "--contingent", "abc", "--file", &f]).ok();
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    let f = n.env.write("in/cold-rw2.md", article("Cold store", "abc", "Cold, ABC's second rewrite."));
    n.t(&a, &["rewrite", "cold-store", "--contingent", "abc", "--file", &f]).ok();
    n.update(&a, "Heat at the depot", "abc", "A's correction.");
    n.t(&a, &["sync"]).ok();
    n.update(&b, "Heat at the depot", "abc", "B's correction.");
    n.t(&b, &["sync"]).fails(3, "sync stopped");
    let r = n.t(&b, &["sync"]);
    assert_eq!(r.code, 0, "the second sync must publish:\n{}\n{}", r.stdout, r.stderr);
    let hub_heat = n.t(&n.hub, &["show", &format!("{HEAT}@abc"), "--raw"]).ok().stdout;
    assert!(hub_heat.contains("B's correction"), "{hub_heat}");
    let hub_cold = n.t(&n.hub, &["show", "cold-store@abc", "--raw"]).ok().stdout;
    assert!(hub_cold.contains("second rewrite"), "{hub_cold}");
}

/// WRONG RESULT. m1 rated on clone b with --key but b has no signing key configured: b's
/// sync merges m1's notes unsigned and warns they "show as forged until m1 syncs with their
/// key configured". Clone a has m1's key configured and syncs: its copy fast-forwards to the
/// unsigned merge and every m1 rating stays FORGED (verified-only filters drop them).
#[test]
fn a_raters_notes_merged_unsigned_are_verified_again_once_the_rater_syncs() {
    let n = Net::bare();
    let (key, public) = keypair(&n.env, "m1");
    add_keyed_member(&n.env, &n.hub, "m1", "abc", &public).ok();
    n.contribute(&n.hub, "Heat at the depot", "abc", "Text.");
    n.contribute(&n.hub, "Cold store", "abc", "Text.");
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.git(&a, &["config", "gpg.format", "ssh"]).ok();
    n.git(&a, &["config", "user.signingkey", &key]).ok();
    n.t(&a, &["rate", HEAT, "--score", "1", "--as", "m1"]).ok();
    n.t(&b, &["rate", "cold-store", "--score", "2", "--as", "m1", "--key", &key]).ok();
    n.t(&a, &["sync"]).ok();
    // b may merge (unsigned, with a warning) or leave the ref for m1's clone: either way,
    // once a (which holds m1's key) syncs, m1's ratings there must verify.
    n.t(&b, &["sync"]);
    n.t(&a, &["sync"]).ok();
    let j: serde_json::Value = serde_json::from_str(&n.t(&a, &["ratings", HEAT, "--json"]).ok().stdout).unwrap();
    assert_eq!(j["ratings"][0]["signature"], "verified", "{j}");
}

/// WRONG REPORT. b corrected an article; a added another. b's sync reports "From origin:
/// 2 articles": the count diffs b's tree against the remote's, so b's own edit is counted
/// as arrived.
#[test]
fn a_local_edit_is_not_counted_as_an_arrived_article() {
    let (n, a, b) = Net::two_with_heat();
    n.update(&b, "Heat at the depot", "abc", "B's correction.");
    n.contribute(&a, "Cold store", "abc", "New.");
    n.t(&a, &["sync"]).ok();
    let j: serde_json::Value = serde_json::from_str(&n.t(&b, &["sync", "--json"]).ok().stdout).unwrap();
    assert_eq!(j["arrived"]["articles"], 1, "{j}");
}

/// WRONG REPORT. The same rater rated one article on both clones: the notes merge brings
/// a's record into b's note, but the count subtracts line counts (1 - 1 = 0), so b's sync
/// says "From origin: nothing".
#[test]
fn ratings_that_arrive_through_a_notes_merge_are_counted() {
    let (n, a, b) = Net::two_with_heat();
    n.t(&a, &["rate", HEAT, "--score", "-2", "--as", "desk"]).ok();
    n.t(&b, &["rate", HEAT, "--score", "2", "--as", "desk"]).ok();
    n.t(&a, &["sync"]).ok();
    let j: serde_json::Value = serde_json::from_str(&n.t(&b, &["sync", "--json"]).ok().stdout).unwrap();
    assert_eq!(j["arrived"]["ratings"]["desk"], 1, "{j}");
}

/// WRONG RESULT (security). A statement tag forged on the hub (signed by a stranger, no
/// ballots) is rejected by `tribune sync`, but `tribune clone` takes it without any check
/// (git clone copies every tag) and so does a plain `git fetch` in an existing clone (tag
/// auto-following); sync then sees it as already there and exits 0, and would push it on.
#[test]
fn a_forged_statement_tag_is_not_taken_by_clone_or_a_plain_fetch() {
    let n = Net::bare();
    let s = n.env.write("in/statement.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
    n.t(&n.hub, &["propose", &s, "--deadline", "2026-12-01T00:00:00Z"]).ok();
    let early = n.clone("early");
    let stranger = keypair(&n.env, "stranger").0;
    let proposal = rev(&n.env, &n.hub, "main");
    let slug = "for-the-rent-strike";
    let msg =
        n.env.write("in/msg", format!("Statement {slug} approved\n\nTribune-Statement: {slug}\nTribune-Yes: 3\n"));
    let gpg = format!("user.signingkey={stranger}");
    let name = format!("statements/{slug}");
    n.git(&n.hub, &["-c", "gpg.format=ssh", "-c", &gpg, "tag", "-s", "-F", &msg, &name, &proposal]).ok();
    let late = n.clone("late");
    assert_eq!(n.git(&late, &["tag", "-l"]).ok().stdout, "", "tribune clone took the forged tag");
    n.git(&early, &["fetch", "-q", "origin"]).ok();
    assert_eq!(n.git(&early, &["tag", "-l"]).ok().stdout, "", "a plain git fetch took the forged tag");
}

/// WRONG RESULT / SYNC BLOCKED. `+refs/heads/*:refs/remotes/origin/*` and the notes,
/// ballots and tags mappings share one namespace: a hub branch named
/// `notes/tribune/ratings/mallory` or `tribune/ballots/x/y` is taken as a rater's notes
/// ref and a ballot ref (trunk commits counted as "4 ballots"), and a branch named like an
/// existing notes ref makes every fetch fail ("Cannot fetch both ...").
#[test]
fn hub_branches_named_like_tribune_refs_are_not_taken_as_them() {
    let (n, a, b) = Net::two_with_heat();
    n.t(&a, &["rate", HEAT, "--score", "1", "--as", "alice"]).ok();
    n.t(&a, &["sync"]).ok();
    n.git(&n.hub, &["branch", "notes/tribune/ratings/mallory", "main"]).ok();
    n.git(&n.hub, &["branch", "tribune/ballots/x/y", "main"]).ok();
    n.t(&b, &["sync"]).ok();
    let refs = n.env.refs(&b);
    assert!(!refs.contains("refs/notes/tribune/ratings/mallory"), "{refs}");
    assert!(!refs.contains("refs/tribune/ballots/x/y"), "{refs}");
    n.git(&n.hub, &["branch", "notes/tribune/ratings/alice", "main"]).ok();
    n.t(&b, &["sync"]).ok();
}

/// CRASH (sync blocked for everyone). One ref on the hub pointing at a blob (a typo with
/// `git update-ref`, or malice) makes every clone's sync die with libgit2's "object is not
/// a committish" before anything is pushed. It must be named and left out, like a diverged
/// ref, and the rest synced.
#[test]
fn a_hub_ref_that_is_not_a_commit_is_named_and_the_rest_is_synced() {
    let n = Net::bare();
    let a = n.clone("a");
    let blob = n.env.run_command({
        let mut c = std::process::Command::new("sh");
        c.args(["-c", "echo junk | git -C \"$1\" hash-object -w --stdin", "sh", &n.hub]);
        c
    });
    let blob = blob.stdout.trim().to_string();
    n.git(&n.hub, &["update-ref", "refs/tribune/ballots/x/m1", &blob]).ok();
    n.contribute(&a, "Heat at the depot", "abc", "Text.");
    let r = n.t(&a, &["sync"]);
    assert!(!r.stderr.contains("committish"), "a raw libgit2 error:\n{}", r.stderr);
    assert!(format!("{}{}", r.stdout, r.stderr).contains("refs/tribune/ballots/x/m1"), "{}\n{}", r.stdout, r.stderr);
    n.t(&n.hub, &["show", HEAT]).ok();
}

/// WRONG RESULT. `tribune init --trunk trunk` is supported (tribune.toml even records
/// `trunk = "trunk"`), but `tribune clone` of such a commons fails: "not a tribune commons:
/// refs/heads/main has no tribune.toml" (Commons::open reads only git config tribune.trunk,
/// which a clone does not have), in both the non-bare and the bare case.
#[test]
fn a_commons_with_another_trunk_name_can_be_cloned() {
    let env = Env::new();
    let hub = env.path("hub").to_string_lossy().into_owned();
    env.tribune(&["init", &hub, "--org", "Org", "--trunk", "trunk"]).ok();
    let a = env.path("a").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &a]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let b = env.path("b.git").to_string_lossy().into_owned();
    env.tribune(&["clone", "--bare", &hub, &b]).ok();
}

/// WRONG RESULT. The natural way to start a hub: `git init --bare` on a server, then
/// `tribune sync` from the founder's commons (it pushes fine). But the hub's HEAD still names
/// git's default branch, so `git clone` checks nothing out and every later `tribune clone`
/// of the hub fails with "not a tribune commons".
#[test]
fn a_hub_first_filled_by_sync_can_be_cloned() {
    let env = Env::new();
    let c = env.commons();
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["init", "-q", "--bare", "--initial-branch=master", &hub]).ok();
    env.git(&["-C", &c, "remote", "add", "origin", &hub]).ok();
    env.tribune(&["-C", &c, "sync"]).ok();
    env.tribune(&["-C", &c, "sync"]).ok();
    let x = env.path("x").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &x]).ok();
    env.tribune(&["-C", &x, "sync"]).ok();
}

/// WRONG RESULT / MESSAGE. With `clone.defaultRemoteName = upstream` in the user's git
/// config, git clone names the remote upstream; tribune clone then configures refspecs on a
/// URL-less "origin" and fails with "there is no remote origin ... clone with tribune clone".
#[test]
fn clone_works_whatever_the_users_default_remote_name() {
    let mut n = Net::bare();
    let cfg = n.env.write("gitconfig", "[clone]\n\tdefaultRemoteName = upstream\n");
    n.env.vars.push(("GIT_CONFIG_GLOBAL".into(), cfg));
    let a = n.env.path("a").to_string_lossy().into_owned();
    n.env.tribune(&["clone", &n.hub, &a]).ok();
    n.env.tribune(&["-C", &a, "sync"]).ok();
}

/// WRONG RESULT (risk of reverting others' work). b has an uncommitted edit to one article;
/// a sync brings a change to it and a new article. The dirty file is rightly left alone, but
/// so is every other path: the index keeps the old tree, so `git status` shows the new
/// article as a staged deletion and a plain `git commit` would delete it network-wide.
#[test]
fn a_dirty_file_does_not_leave_other_arrivals_staged_as_undone() {
    let (n, a, b) = Net::two_with_heat();
    let heat = n.env.path("b").join(text_path(HEAT));
    let mut text = std::fs::read_to_string(&heat).unwrap();
    text.push_str("b's unsaved note\n");
    std::fs::write(&heat, &text).unwrap();
    n.update(&a, "Heat at the depot", "abc", "A's correction.");
    n.contribute(&a, "Cold store", "abc", "New.");
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    assert_eq!(std::fs::read_to_string(&heat).unwrap(), text, "the uncommitted edit was overwritten");
    let staged = n.git(&b, &["diff", "--cached", "--name-status"]).ok().stdout;
    assert!(!staged.contains(&text_path("cold-store")), "the arrived article is staged as deleted:\n{staged}");
}
