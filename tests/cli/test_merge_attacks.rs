//! Issue 11: a merge cannot undo what the trunk did since an old commit it names as a
//! parent. An attacker with push access makes an unsigned merge whose first parent is an old
//! trunk commit and whose second is the tip (so the push is a fast-forward), taking the old
//! value of a roster entry or an article: the audit and the hub judge what the merge undid
//! of the tip's side by the authorised state there.

use crate::harness::Env;

/// The demo commons as a hub with tribune's hook, and a plain clone of it; returns (hub, work).
fn hub_and_clone(env: &Env) -> (String, String) {
    let hub = crate::harness::demo_hub(env);
    let w = env.clone_of(&hub, "w");
    env.git(&["-C", &w, "config", "user.name", "Eve"]).ok();
    env.git(&["-C", &w, "config", "user.email", "eve@example.org"]).ok();
    (hub, w)
}

/// An unsigned merge whose FIRST parent is an old trunk commit and whose second is the tip:
/// the trunk fast-forwards, and the merge is judged against the roster at the old commit.
fn reordered_merge(env: &Env, w: &str, old: &str) -> String {
    env.git(&["-C", w, "add", "-A"]).ok();
    let tree = env.git(&["-C", w, "write-tree"]).ok().stdout.trim().to_string();
    let c = env.git(&["-C", w, "commit-tree", &tree, "-p", old, "-p", "HEAD", "-m", "merge-trunk: sync"]).ok();
    let c = c.stdout.trim().to_string();
    env.git(&["-C", w, "reset", "-q", "--hard", &c]).ok();
    c
}

#[test]
fn an_unsigned_merge_with_an_old_first_parent_cannot_undo_a_removal() {
    let env = Env::new();
    let (_hub, w) = hub_and_clone(&env);
    let key = env.path("demo/tribune/demo-keys/rlopez").to_string_lossy().into_owned();
    env.tribune(&["-C", &w, "roster", "remove-member", "dokafor", "--key", &key]).ok();
    env.git(&["-C", &w, "reset", "-q", "--hard"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    // Anyone: put dokafor's entry back, in a merge whose first parent predates the removal.
    let old = env.git(&["-C", &w, "rev-parse", "HEAD^"]).ok().stdout.trim().to_string();
    let entry = env.git(&["-C", &w, "show", &format!("{old}:roster/members/dokafor.toml")]).ok().stdout;
    env.write("w/roster/members/dokafor.toml", entry);
    let merge = reordered_merge(&env, &w, &old);
    let audit = env.tribune(&["-C", &w, "audit"]);
    assert_eq!(audit.code, 1, "audit took the resurrection:\n{}{}", audit.stdout, audit.stderr);
    let line = format!(
        "{}: changes roster/members/dokafor.toml, not signed by any member of the authorised roster",
        &merge[..10]
    );
    assert!(audit.stdout.contains(&line), "{line:?} missing:\n{}", audit.stdout);
    let roster = env.tribune(&["-C", &w, "roster", "--json"]).ok().stdout;
    assert!(!roster.contains("\"dokafor\""), "dokafor is back in the authorised roster:\n{roster}");
    let push = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_ne!(push.code, 0, "the hub took the resurrection:\n{}", push.stderr);
    assert!(push.stderr.contains(&format!("remote: tribune: refused refs/heads/main: {line}")), "{}", push.stderr);
}

#[test]
fn an_unsigned_merge_with_an_old_first_parent_cannot_delete_another_contingents_article() {
    let env = Env::new();
    let (_hub, w) = hub_and_clone(&env);
    let path = "articles/93/4e/eastgate-families-hold-vigil-for-yard-safety/index.md";
    let added = env.git(&["-C", &w, "log", "--format=%H", "-1", "--", path]).ok().stdout.trim().to_string();
    env.git(&["-C", &w, "rm", "-q", path]).ok();
    let merge = reordered_merge(&env, &w, &format!("{added}^"));
    let audit = env.tribune(&["-C", &w, "audit"]);
    assert_eq!(audit.code, 1, "audit took the deletion:\n{}{}", audit.stdout, audit.stderr);
    let line = format!("{}: deletes {path}, an article of ctw, not signed by any member", &merge[..10]);
    assert!(audit.stdout.contains(&line), "{line:?} missing:\n{}", audit.stdout);
    let push = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_ne!(push.code, 0, "the hub took the deletion:\n{}", push.stderr);
}

/// The honest kind of merge still passes: `tribune sync` merging a trunk both clones
/// changed, one side removing a member and the other contributing.
#[test]
fn a_sync_merge_of_two_honest_sides_breaks_no_rule() {
    let env = Env::new();
    let (hub, w) = hub_and_clone(&env);
    let t = env.path("t").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &t]).ok();
    let key = env.path("demo/tribune/demo-keys/rlopez").to_string_lossy().into_owned();
    env.tribune(&["-C", &w, "roster", "remove-member", "dokafor", "--key", &key]).ok();
    env.git(&["-C", &w, "reset", "-q", "--hard"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let text = crate::harness::article("Mill closed", "rfc", "", "Shut.\n");
    let mill = env.write("mill.md", text);
    env.tribune(&["-C", &t, "contribute", &mill, "--key", &key]).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    let merge = env.git(&["-C", &t, "rev-list", "--merges", "-1", "main"]).ok().stdout;
    assert!(!merge.trim().is_empty(), "sync made no merge");
    env.tribune(&["-C", &t, "audit"]).ok();
    env.tribune(&["-C", &hub, "audit"]).ok();
}
