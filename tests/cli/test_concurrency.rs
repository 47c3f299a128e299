//! Parallel writers on one commons lose no update (DESIGN invariant 2).

use crate::harness::*;
use std::process::{Command, Stdio};

#[test]
fn four_processes_contributing_fifty_articles_each_lose_nothing() {
    let (env, c) = commons();
    // Each writer gets a script of 50 contributions, run as one shell loop so the four
    // processes really overlap.
    let mut children = Vec::new();
    for w in 0..4 {
        for n in 0..50 {
            env.write(&format!("w{w}/a{n}.md"), article(&format!("Writer {w} article {n}"), "abc", "", "Body.\n"));
        }
        let script =
            format!("for n in $(seq 0 49); do \"$TRIBUNE\" -C '{c}' contribute w{w}/a$n.md >/dev/null || exit 1; done");
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .current_dir(env.tmp.path())
            .env("TRIBUNE", env!("CARGO_BIN_EXE_tribune"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", env.path("home"))
            .env("GIT_AUTHOR_NAME", format!("Writer {w}"))
            .env("GIT_AUTHOR_EMAIL", "w@example.org")
            .env("GIT_COMMITTER_NAME", "W")
            .env("GIT_COMMITTER_EMAIL", "w@example.org")
            .stderr(Stdio::piped());
        children.push(cmd.spawn().unwrap());
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a writer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let listed = env.tribune(&["-C", &c, "list", "--json"]).ok();
    let rows: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 200);
    let log = env.git(&["-C", &c, "log", "--format=%s", "main"]).ok();
    assert_eq!(log.stdout.lines().filter(|l| l.starts_with("contribute: ")).count(), 200);
    // History is one line: each commit's parent is the tip its writer saw.
    let merges = env.git(&["-C", &c, "rev-list", "--merges", "--count", "main"]).ok();
    assert_eq!(merges.stdout.trim(), "0");
    env.fsck(&c);
}

#[test]
fn a_lock_left_by_a_killed_process_is_named_with_why_removing_it_is_safe() {
    let (env, c) = commons();
    let git_dir = env.git(&["-C", &c, "rev-parse", "--absolute-git-dir"]).ok().stdout.trim().to_string();
    // What a writer killed between taking the trunk's lock and renaming it into place leaves.
    let lock = std::path::Path::new(&git_dir).join("refs/heads/main.lock");
    std::fs::write(&lock, "0000000000000000000000000000000000000000\n").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    std::fs::File::options().write(true).open(&lock).unwrap().set_modified(old).unwrap();
    let a = env.write("a.md", article("Locked out", "abc", "", "Body.\n"));
    let before = env.refs(&c);
    let r = env
        .tribune(&["-C", &c, "contribute", &a])
        .fails(1, &format!("could not update refs/heads/main: its lock file {} has been there for", lock.display()));
    for needle in [
        "if no git or tribune process is running on this repository, the lock is stale",
        &format!("rm {}", lock.display()),
    ] {
        assert!(r.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", r.stderr);
    }
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // The objects it wrote are left unreferenced; no ref moved.
    assert_eq!(env.refs(&c), before);
    // Removed as the message says, the next write lands.
    std::fs::remove_file(&lock).unwrap();
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    env.fsck(&c);
}

#[test]
fn a_stale_index_lock_in_a_clone_is_named_and_the_commit_is_still_recorded() {
    let n = crate::sync_fixture::Net::bare();
    let a = n.clone("a");
    let lock = std::path::Path::new(&a).join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let f = n.env.write("in.md", article("Under lock", "abc", "", "Body.\n"));
    let r = n.t(&a, &["contribute", &f, "--slug", "under-lock"]).ok();
    for needle in [
        format!("could not refresh the work tree: its lock file {} is in the way", lock.display()),
        "if no git or tribune process is running on this repository, the lock is stale".to_string(),
        format!("rm {}", lock.display()),
        format!("`git checkout HEAD -- {}` brings the work tree up to date", text_path("under-lock")),
    ] {
        assert!(r.stderr.contains(&needle), "stderr lacks {needle:?}:\n{}", r.stderr);
    }
    n.git(&a, &["cat-file", "-e", &format!("main:{}", text_path("under-lock"))]).ok();
    // Removed as the message says, the command it gives brings the work tree up to date.
    std::fs::remove_file(&lock).unwrap();
    n.git(&a, &["checkout", "HEAD", "--", &text_path("under-lock")]).ok();
    assert_eq!(n.git(&a, &["status", "--porcelain"]).ok().stdout, "");
}
