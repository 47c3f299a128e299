//! The scratch repository sync pushes from (`src/git/scratch.rs`): it must reach the remote
//! the commons reaches, whatever the commons is, and leave nothing behind.

use crate::sync_fixture::*;

/// A rating pushed from a linked worktree of a clone reaches the hub: the scratch repository
/// borrows the main repository's configuration (a linked worktree's git dir has none).
#[test]
fn a_sync_from_a_linked_worktree_pushes_to_the_remote_of_its_main_repository() {
    let (n, a, _) = Net::two_with_heat();
    let wt = n.env.path("wt").to_string_lossy().into_owned();
    n.git(&a, &["worktree", "add", "-q", &wt, "-b", "side"]).ok();
    n.t(&wt, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&wt, &["sync"]).ok();
    let hub = n.env.git(&["-C", &n.hub, "for-each-ref", "refs/notes/"]).ok().stdout;
    assert!(hub.contains("refs/notes/tribune/ratings/alice"), "{hub}");
}

/// The scratch repository of a push that was killed (kill -9) is removed by a later sync once
/// it is an hour old; a younger one (a push still running) is left alone.
#[test]
fn a_scratch_repository_left_by_a_killed_push_does_not_accumulate() {
    let (n, a, _) = Net::two_with_heat();
    let state = format!("{a}/.git/tribune");
    for d in ["push-left", "push-live"] {
        std::fs::create_dir_all(format!("{state}/{d}/objects/info")).unwrap();
        std::fs::write(format!("{state}/{d}/packed-refs"), "").unwrap();
    }
    let aged = std::process::Command::new("touch")
        .args(["-d", "2 hours ago", &format!("{state}/push-left")])
        .status()
        .unwrap();
    assert!(aged.success());
    n.t(&a, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&a, &["sync"]).ok();
    let left: Vec<String> = std::fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("push-"))
        .collect();
    assert_eq!(left, vec!["push-live".to_string()]);
}

/// A remote configured as a mirror (`remote.origin.mirror = true`) gets tribune's refs
/// pushed as usual, fast-forwards only, and keeps every other ref it has.
#[test]
fn a_remote_configured_as_a_mirror_gets_the_refs_pushed_and_loses_none() {
    let (n, a, b) = Net::two_with_heat();
    n.t(&b, &["rate", "heat-at-the-depot", "--score", "2", "--as", "bob"]).ok();
    n.t(&b, &["sync"]).ok();
    n.git(&a, &["config", "remote.origin.mirror", "true"]).ok();
    n.t(&a, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&a, &["sync"]).ok();
    let hub = n.env.git(&["-C", &n.hub, "for-each-ref", "--format=%(refname)"]).ok().stdout;
    for r in ["refs/heads/main", "refs/notes/tribune/ratings/alice", "refs/notes/tribune/ratings/bob"] {
        assert!(hub.lines().any(|l| l == r), "{r} missing on the hub:\n{hub}");
    }
}

/// A remote whose URL is a path relative to the clone (`git remote add origin ../hub`)
/// is the one plain git reaches from the clone's work tree, for the fetch and the push.
#[test]
fn a_remote_with_a_relative_path_is_reached_as_plain_git_reaches_it() {
    let (n, a, _) = Net::two_with_heat();
    let hub = std::path::Path::new(&n.hub).file_name().unwrap().to_string_lossy().into_owned();
    n.git(&a, &["remote", "set-url", "origin", &format!("../{hub}")]).ok();
    n.git(&a, &["fetch", "origin"]).ok();
    n.t(&a, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&a, &["sync"]).ok();
    let on_hub = n.env.git(&["-C", &n.hub, "for-each-ref", "refs/notes/"]).ok().stdout;
    assert!(on_hub.contains("refs/notes/tribune/ratings/alice"), "{on_hub}");
}

/// A remote with a push URL of its own (`remote.origin.pushurl`, rewritten by
/// `url.<base>.insteadOf`) gets the push there, as plain git pushes; the clone's
/// remote-tracking refs (moved in `packed-refs`) record what was pushed, and git reads them.
#[test]
fn a_push_goes_to_the_push_url_plain_git_would_use_and_is_recorded_where_git_reads_it() {
    let (n, a, _) = Net::two_with_heat();
    let elsewhere = n.env.path("elsewhere.git").to_string_lossy().into_owned();
    n.env.git(&["clone", "-q", "--bare", &n.hub, &elsewhere]).ok();
    n.git(&a, &["config", "remote.origin.pushurl", "alias:elsewhere"]).ok();
    n.git(&a, &["config", &format!("url.{elsewhere}.insteadOf"), "alias:elsewhere"]).ok();
    for rater in ["alice", "bob"] {
        n.t(&a, &["rate", "heat-at-the-depot", "--score", "1", "--as", rater]).ok();
    }
    n.t(&a, &["sync"]).ok();
    let there = n.env.git(&["-C", &elsewhere, "for-each-ref", "refs/notes/"]).ok().stdout;
    assert!(there.contains("refs/notes/tribune/ratings/alice"), "{there}");
    let hub = n.env.git(&["-C", &n.hub, "for-each-ref", "refs/notes/"]).ok().stdout;
    assert!(!hub.contains("refs/notes/tribune/ratings/alice"), "{hub}");
    // Recorded: git shows the remote-tracking refs at what was pushed.
    let tracking = n
        .git(&a, &["for-each-ref", "--format=%(objectname) %(refname)", "refs/tribune-sync/origin/notes/"])
        .ok()
        .stdout;
    let local = n.git(&a, &["rev-parse", "refs/notes/tribune/ratings/bob"]).ok().stdout;
    assert!(
        tracking.contains(&format!("{} refs/tribune-sync/origin/notes/tribune/ratings/bob", local.trim())),
        "{tracking}"
    );
    n.git(&a, &["fsck", "--strict"]).ok();
}

/// Where git pushes and a push to the bare URL would not: a relative URL that is also the
/// name of another remote, and an explicit pushurl that a `pushInsteadOf` rule matches
/// (git ignores the rule for a remote with a pushurl). Each sync goes where `git push
/// origin` goes, and nothing reaches the other repository.
#[test]
fn a_push_never_goes_where_git_push_to_the_remote_would_not() {
    let (n, a, _) = Net::two_with_heat();
    let count = |repo: &str| n.env.git(&["-C", repo, "for-each-ref", "refs/notes/"]).ok().stdout.lines().count();
    // A: origin's URL is the relative path `hubs/main`; a remote of that name is a decoy.
    let decoy = n.env.path("decoy.git").to_string_lossy().into_owned();
    n.env.git(&["init", "-q", "--bare", &decoy]).ok();
    let hub = format!("{a}/hubs/main");
    n.env.git(&["clone", "-q", "--bare", &n.hub, &hub]).ok();
    n.git(&a, &["remote", "set-url", "origin", "hubs/main"]).ok();
    n.git(&a, &["remote", "add", "hubs/main", &decoy]).ok();
    n.t(&a, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&a, &["sync"]).ok();
    assert_eq!(count(&decoy), 0, "the decoy got the push");
    assert!(count(&hub) > 0, "origin's hub got nothing");
    // B: an explicit pushurl, and a pushInsteadOf rule that matches it.
    let pushed = n.env.path("pushed.git").to_string_lossy().into_owned();
    let rewritten = n.env.path("rewritten.git").to_string_lossy().into_owned();
    for r in [&pushed, &rewritten] {
        n.env.git(&["clone", "-q", "--bare", &hub, r]).ok();
    }
    n.git(&a, &["remote", "set-url", "--push", "origin", &pushed]).ok();
    n.git(&a, &["config", &format!("url.{rewritten}.pushInsteadOf"), &pushed]).ok();
    n.t(&a, &["rate", "heat-at-the-depot", "--score", "2", "--as", "bob"]).ok();
    n.t(&a, &["sync"]).ok();
    let bob = |repo: &str| n.env.git(&["-C", repo, "for-each-ref", "refs/notes/tribune/ratings/bob"]).ok().stdout;
    assert!(!bob(&pushed).is_empty(), "the pushurl got nothing");
    assert!(bob(&rewritten).is_empty(), "the push went where pushInsteadOf points, which git ignores here");
}
