//! Issue 11, found by an attack: a member removed from the roster must not come back
//! through an unsigned merge of the trunk's tip with a contingent's edition whose `tribune update`
//! (a merge signed by a member of that contingent) was made while the member was still in
//! the roster. The merge takes the entry "from the other side", where the update commit
//! "set" it, and the update's signer is still authorised. A merge that took a value from
//! one of its own parents did not set it: nobody on the edition's side did.

use crate::harness::Env;

#[test]
fn a_stale_edition_update_cannot_bring_back_a_removed_member() {
    let env = Env::new();
    let hub = crate::harness::demo_hub(&env);
    let keys = |m: &str| env.path(&format!("demo/tribune/demo-keys/{m}")).to_string_lossy().into_owned();
    let (sfarouk, lbaptiste) = (keys("sfarouk"), keys("lbaptiste"));

    // Honest work by ctw's members, all signed and all accepted by the hub.
    let t = env.path("t").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &t]).ok();
    env.git(&["-C", &t, "config", "user.name", "Samira Farouk"]).ok();
    env.git(&["-C", &t, "config", "user.email", "sfarouk@ctw.example.org"]).ok();
    let path = "articles/93/4e/eastgate-families-hold-vigil-for-yard-safety/index.md";
    let mut text = env.git(&["-C", &t, "show", &format!("main:{path}")]).ok().stdout;
    text.push_str("\nA paragraph ctw adds to its own article.\n");
    let file = env.write("rewrite.md", text);
    let slug = "eastgate-families-hold-vigil-for-yard-safety";
    env.tribune(&["-C", &t, "rewrite", slug, "--contingent", "ctw", "--file", &file, "-m", "more", "--key", &sfarouk])
        .ok();
    // A fresh key for the member to be admitted and later removed.
    let mal = env.path("mal").to_string_lossy().into_owned();
    env.run_command({
        let mut c = std::process::Command::new("ssh-keygen");
        c.args(["-q", "-t", "ed25519", "-N", "", "-C", "mal", "-f", &mal]);
        c
    })
    .ok();
    let malpub = format!("{mal}.pub");
    env.tribune(&[
        "-C",
        &t,
        "roster",
        "add-member",
        "mallory",
        "--contingent",
        "ctw",
        "--name",
        "Mallory",
        "--email",
        "mal@example.org",
        "--key-file",
        &malpub,
        "--key",
        &sfarouk,
    ])
    .ok();
    env.tribune(&["-C", &t, "update", "--contingent", "ctw", "--key", &sfarouk]).ok();
    env.tribune(&["-C", &t, "roster", "remove-member", "mallory", "--key", &lbaptiste]).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    env.git(&["-C", &t, "push", "-q", "origin", "contingents/ctw"]).ok();
    let hub_ctw = env.git(&["-C", &hub, "rev-parse", "refs/heads/contingents/ctw"]).ok().stdout;
    let t_ctw = env.git(&["-C", &t, "rev-parse", "contingents/ctw"]).ok().stdout;
    assert_eq!(hub_ctw, t_ctw, "the edition update did not reach the hub");

    // Anyone with push access: an unsigned merge of the tip and the edition, keeping
    // Mallory's entry (and the edition's text of ctw's own article).
    let w = env.clone_of(&hub, "w");
    env.git(&["-C", &w, "config", "user.name", "Eve"]).ok();
    env.git(&["-C", &w, "config", "user.email", "eve@example.org"]).ok();
    let entry = env.git(&["-C", &w, "show", "origin/contingents/ctw:roster/members/mallory.toml"]).ok().stdout;
    env.write("w/roster/members/mallory.toml", entry);
    let article = env.git(&["-C", &w, "show", &format!("origin/contingents/ctw:{path}")]).ok().stdout;
    env.write(&format!("w/{path}"), article);
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    let merge = env
        .git(&["-C", &w, "commit-tree", &tree, "-p", "HEAD", "-p", "origin/contingents/ctw", "-m", "merge"])
        .ok()
        .stdout
        .trim()
        .to_string();
    env.git(&["-C", &w, "reset", "-q", "--hard", &merge]).ok();

    let audit = env.tribune(&["-C", &w, "audit"]);
    let roster = env.tribune(&["-C", &w, "roster", "--json"]).ok().stdout;
    let push = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_eq!(audit.code, 1, "audit took the resurrection:\n{}{}", audit.stdout, audit.stderr);
    assert!(!roster.contains("\"mallory\""), "mallory is back in the authorised roster:\n{roster}");
    assert_ne!(push.code, 0, "the hub took the resurrection:\n{}", push.stderr);
    let line = "changes roster/members/mallory.toml, not signed by any member of the authorised roster";
    assert!(audit.stdout.contains(line), "{}", audit.stdout);
    assert!(push.stderr.contains(line), "{}", push.stderr);
}

/// An unsigned merge whose first parent is a contingent's edition and whose second is the
/// trunk's tip (a fast-forward) must not put the edition's text of an article on the trunk
/// over its owner's later update: the rewrite set that text on the edition, not the trunk.
#[test]
fn an_editions_text_cannot_replace_the_trunks_through_a_merge_with_the_edition_first() {
    let env = Env::new();
    let hub = crate::harness::demo_hub(&env);
    let key = env.path("demo/tribune/demo-keys/lbaptiste").to_string_lossy().into_owned();
    let t = env.path("t").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &t]).ok();
    let slug = "tenants-at-400-willowmere-begin-rent-strike-over-repairs";
    let path = crate::harness::text_path(slug);
    let text = env.git(&["-C", &t, "show", &format!("main:{path}")]).ok().stdout;
    let rival = env.write("rival.md", format!("{text}\nThe edition's own paragraph.\n"));
    env.tribune(&["-C", &t, "rewrite", slug, "--contingent", "ctw", "--file", &rival, "--key", &key]).ok();
    let update = env.write("update.md", format!("{text}\nSecond trunk update.\n"));
    env.tribune(&["-C", &t, "contribute", &update, "--slug", slug, "--update", "--key", &key]).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    env.git(&["-C", &t, "push", "-q", "origin", "contingents/ctw"]).ok();
    // Anyone: the trunk's tree with the edition's text, the edition as first parent.
    let w = env.clone_of(&hub, "w");
    let edition_text = env.git(&["-C", &w, "show", &format!("origin/contingents/ctw:{path}")]).ok().stdout;
    env.write(&format!("w/{path}"), edition_text);
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    let merge = env.git(&["-C", &w, "commit-tree", &tree, "-p", "origin/contingents/ctw", "-p", "HEAD", "-m", "merge"]);
    let merge = merge.ok().stdout.trim().to_string();
    env.git(&["-C", &w, "reset", "-q", "--hard", &merge]).ok();
    let audit = env.tribune(&["-C", &w, "audit"]);
    assert_eq!(audit.code, 1, "audit took it:\n{}{}", audit.stdout, audit.stderr);
    let line = format!("{}: changes {path}, an article of ctw, not signed by any member", &merge[..10]);
    assert!(audit.stdout.contains(&line), "{line:?} missing:\n{}", audit.stdout);
    let push = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_ne!(push.code, 0, "the hub took it:\n{}", push.stderr);
    assert!(push.stderr.contains(&line), "{}", push.stderr);
}
