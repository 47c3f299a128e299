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

/// In a criss-cross history (a harmless unsigned commit X and an authorised commit B, each
/// merged into the other's side), the trunk and the attacker's side have two merge bases:
/// an unsigned merge of the side must not pass off B, an ancestor of the trunk, as the other
/// side's setter of an old value taken back over a later change.
#[test]
fn a_criss_cross_merge_cannot_take_back_an_old_value_as_the_other_sides() {
    let env = Env::new();
    let (_hub, w) = hub_and_clone(&env);
    let key = env.path("demo/tribune/demo-keys/rlopez").to_string_lossy().into_owned();
    let rev = |what: &str| env.git(&["-C", &w, "rev-parse", what]).ok().stdout.trim().to_string();
    let a = rev("HEAD");
    // B: rlopez admits newbie (authorised); the trunk then merges X; then newbie is removed.
    let (_, public) = crate::harness::keypair(&env, "newbie");
    let pubfile = env.write("newbie.pub", &public);
    let admit = ["roster", "add-member", "newbie", "--contingent", "rfc", "--name", "Newbie"];
    env.tribune(
        &[&["-C", &w][..], &admit, &["--email", "newbie@example.org", "--key-file", &pubfile, "--key", &key]].concat(),
    )
    .ok();
    env.git(&["-C", &w, "reset", "-q", "--hard"]).ok();
    let b = rev("HEAD");
    // X, on A, made after B (of two merge bases libgit2 gives the newer).
    env.git(&["-C", &w, "checkout", "-q", "--detach", &a]).ok();
    env.write("w/notes.txt", "harmless\n");
    env.git(&["-C", &w, "add", "-A"]).ok();
    env.git(&["-C", &w, "commit", "-q", "-m", "notes"]).ok();
    let x = rev("HEAD");
    env.git(&["-C", &w, "checkout", "-q", "main"]).ok();
    env.git(&["-C", &w, "merge", "-q", "--no-edit", &x]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let merged = rev("HEAD");
    env.tribune(&["-C", &w, "roster", "remove-member", "newbie", "--key", &key]).ok();
    env.git(&["-C", &w, "reset", "-q", "--hard"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let c = rev("HEAD");
    // The side: X and B merged the other way round; the attack: the trunk and the side,
    // taking newbie's entry back from the side.
    let side_tree = rev(&format!("{merged}^{{tree}}"));
    let s = env.git(&["-C", &w, "commit-tree", &side_tree, "-p", &x, "-p", &b, "-m", "side"]).ok();
    let s = s.stdout.trim().to_string();
    let bases = env.git(&["-C", &w, "merge-base", "--all", &c, &s]).ok().stdout;
    assert_eq!(bases.lines().count(), 2, "not a criss-cross: {bases}");
    let entry = env.git(&["-C", &w, "show", &format!("{b}:roster/members/newbie.toml")]).ok().stdout;
    env.write("w/roster/members/newbie.toml", entry);
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    let m =
        env.git(&["-C", &w, "commit-tree", &tree, "-p", &c, "-p", &s, "-m", "Merge"]).ok().stdout.trim().to_string();
    env.git(&["-C", &w, "reset", "-q", "--hard", &m]).ok();
    let line =
        format!("{}: changes roster/members/newbie.toml, not signed by any member of the authorised roster", &m[..10]);
    let audit = env.tribune(&["-C", &w, "audit"]);
    assert_eq!(audit.code, 1, "audit took newbie back:\n{}{}", audit.stdout, audit.stderr);
    assert!(audit.stdout.contains(&line), "{line:?} missing:\n{}", audit.stdout);
    let roster = env.tribune(&["-C", &w, "roster", "--json"]).ok().stdout;
    assert!(!roster.contains("\"newbie\""), "newbie is back in the authorised roster:\n{roster}");
    let push = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_ne!(push.code, 0, "the hub took newbie back:\n{}", push.stderr);
    assert!(push.stderr.contains(&format!("remote: tribune: refused refs/heads/main: {line}")), "{}", push.stderr);
}
