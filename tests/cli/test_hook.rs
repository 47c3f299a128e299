//! Issue 11, item 6: a hub with tribune's pre-receive hook, served by a real `git daemon`
//! on the loopback address, takes honest pushes (plain git and `tribune sync` over git://)
//! and refuses each bad one whole, with one line the pusher sees, its refs unchanged.

use crate::harness::*;
use crate::test_article_rules::{commit_file, founded_two};
use std::process::{Child, Command, Stdio};

/// A `git daemon` serving the sandbox over git://127.0.0.1, pushes allowed; killed when
/// dropped, so that a failing test leaves no server behind.
struct Daemon {
    child: Child,
    port: u16,
}

impl Daemon {
    fn start(env: &Env) -> Daemon {
        let exec = env.git(&["--exec-path"]).ok().stdout.trim().to_string();
        let base = env.tmp.path().to_string_lossy().into_owned();
        for _ in 0..20 {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            // git-daemon itself (not `git daemon`, whose child would outlive a kill).
            let mut cmd = Command::new(format!("{exec}/git-daemon"));
            cmd.args(["--enable=receive-pack", "--export-all", "--reuseaddr", "--informative-errors"])
                .arg(format!("--base-path={base}"))
                .args(["--listen=127.0.0.1", &format!("--port={port}")])
                .arg(&base)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            env.pin_command(&mut cmd);
            // The hub's clock: a day after the sandbox's, so that nothing pushed is dated ahead of it.
            let later = rfc3339(seconds(&env.now()) + 86_400);
            cmd.env("GIT_COMMITTER_DATE", &later).env("GIT_AUTHOR_DATE", &later);
            let mut d = Daemon { child: cmd.spawn().expect("git-daemon starts"), port };
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return d;
                }
                if let Ok(Some(_)) = d.child.try_wait() {
                    break; // The port was taken meanwhile: try another.
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let _ = d.child.kill();
        }
        panic!("git daemon did not start");
    }

    fn url(&self, repo: &str) -> String {
        format!("git://127.0.0.1:{}/{repo}", self.port)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `git ARGS` (a push) that the hub must refuse with the line `remote: tribune: refused
/// LINE`, leaving every ref of the hub `hub` as it was.
#[track_caller]
fn refused_push(env: &Env, hub: &str, args: &[&str], line: &str) {
    let before = env.refs(hub);
    let r = env.git(args);
    assert_ne!(r.code, 0, "the hub took {args:?}:\n{}", r.stderr);
    let want = format!("remote: tribune: refused {line}");
    assert!(r.stderr.contains(&want), "{want:?} missing:\n{}", r.stderr);
    assert!(r.stderr.contains("(pre-receive hook declined)"), "{}", r.stderr);
    assert_eq!(env.refs(hub), before, "a refused push changed the hub's refs");
}

const SLUG: &str = "for-the-rent-strike";

#[test]
fn a_hub_behind_git_daemon_takes_honest_pushes_and_refuses_each_bad_one() {
    let (env, hub, alice, xavier) = founded_two();
    let r = env.tribune(&["hook", "install", &hub]).ok();
    assert!(r.stdout.starts_with(&format!("Installed the pre-receive hook {hub}/hooks/pre-receive")), "{}", r.stdout);
    let daemon = Daemon::start(&env);
    let url = daemon.url("c");

    // Honest: a signed admission, through `tribune sync` over git://.
    let t = env.path("t").to_string_lossy().into_owned();
    env.tribune(&["clone", &url, &t]).ok();
    let (bob, bob_pub) = keypair(&env, "bob");
    let bob_file = env.write("bob.pub", &bob_pub);
    let admit = member_args(["bob", "abc", "Bob", "bob@example.org"], &["--key-file", &bob_file, "--key", &alice]);
    env.tribune(&[&["-C", t.as_str()][..], &admit].concat()).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    assert_eq!(rev(&env, &hub, "main"), rev(&env, &t, "main"));
    // A contribution by a member of abc, with plain git.
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", &url, &w]).ok();
    let port = text_path("port-blockade");
    commit_file(&env, &w, &port, Some(&article("Port blockade", "abc", "", "Dockers stopped.\n")), Some(&alice), "add");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    // A statement, ballots, a signed rating and an approval, through sync.
    env.tribune(&["-C", &t, "sync"]).ok();
    let s = env.write("s.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
    env.tribune(&["-C", &t, "propose", &s, "--deadline", "2026-12-01T00:00:00Z", "--key", &alice]).ok();
    for (m, key) in [("alice", &alice), ("bob", &bob), ("xavier", &xavier)] {
        env.tribune(&["-C", &t, "vote", SLUG, "yes", "--as", m, "--key", key]).ok();
    }
    env.tribune(&["-C", &t, "rate", "port-blockade", "--score", "1", "--as", "alice", "--key", &alice]).ok();
    env.tribune(&["-C", &t, "approve", SLUG, "--as", "alice", "--key", &alice]).ok();
    let r = env.tribune(&["-C", &t, "sync"]).ok();
    assert!(r.stderr.is_empty() || !r.stderr.contains("refused"), "{}", r.stderr);
    let refs = env.refs(&hub);
    for r in [
        format!("refs/tags/statements/{SLUG}"),
        "refs/notes/tribune/ratings/alice".to_string(),
        format!("refs/tribune/ballots/{SLUG}/xavier"),
    ] {
        assert!(refs.contains(&r), "{r} is not on the hub:\n{refs}");
    }
    env.tribune(&["-C", &hub, "audit"]).ok();

    // Bad: each refused whole, with its line.
    env.git(&["-C", &w, "pull", "-q", "--ff-only", "origin", "main"]).ok();
    let reset = || env.git(&["-C", &w, "reset", "-q", "--hard", "origin/main"]).ok();
    let head = || rev(&env, &w, "HEAD")[..10].to_string();
    let push_main = ["-C", w.as_str(), "push", "origin", "main"];
    // Roster stuffing with plain git.
    let (_, x1_pub) = keypair(&env, "x1");
    let stuffed = format!("name = \"x1\"\ncontingent = \"abc\"\nemail = \"x1@example.org\"\nkeys = [\"{x1_pub}\"]\n");
    commit_file(&env, &w, "roster/members/x1.toml", Some(&stuffed), None, "add x1");
    let line = format!(
        "refs/heads/main: {}: changes roster/members/x1.toml, not signed by any member of the authorised roster: \
         only a member of abc may do that",
        head()
    );
    refused_push(&env, &hub, &push_main, &line);
    reset();
    // Bob's key replaced, signed by alice.
    let (_, thief_pub) = keypair(&env, "thief");
    let bob_toml = std::fs::read_to_string(format!("{w}/roster/members/bob.toml")).unwrap();
    let stolen = bob_toml.replace(bob_pub.split(' ').nth(1).unwrap(), thief_pub.split(' ').nth(1).unwrap());
    assert_ne!(stolen, bob_toml);
    commit_file(&env, &w, "roster/members/bob.toml", Some(&stolen), Some(&alice), "rotate bob");
    let line = format!(
        "refs/heads/main: {}: changes roster/members/bob.toml, signed by alice: only bob, signing with their current \
         key, may change their keys",
        head()
    );
    refused_push(&env, &hub, &push_main, &line);
    reset();
    // Abc's article deleted by xavier, of xyz.
    commit_file(&env, &w, &port, None, Some(&xavier), "delete");
    let line = format!(
        "refs/heads/main: {}: deletes {port}, an article of abc, signed by xavier: only a member of abc may delete it",
        head()
    );
    refused_push(&env, &hub, &push_main, &line);
    reset();
    // A shared filter of abc's, added by xavier in abc's name.
    let filter = "name = \"f\"\ntrust = [\"alice\"]\n\n[owner]\nmember = \"alice\"\ncontingent = \"abc\"\n";
    commit_file(&env, &w, "filters/f.toml", Some(filter), Some(&xavier), "filter");
    let line = format!(
        "refs/heads/main: {}: adds filters/f.toml, a shared filter of abc, signed by xavier: only a member of abc \
         may add it in the contingent's name",
        head()
    );
    refused_push(&env, &hub, &push_main, &line);
    reset();
    // A commit on xyz's edition by alice (of abc), and an edition of abc's made unsigned.
    env.git(&["-C", &w, "checkout", "-q", "-b", "contingents/xyz"]).ok();
    let rival = article("Port blockade", "abc", "", "Dockers stopped, said xyz.\n");
    commit_file(&env, &w, &port, Some(&rival), Some(&alice), "rewrite: Port blockade");
    let line = format!(
        "refs/heads/contingents/xyz: commit {} of xyz's edition, signed by alice: only a member of xyz may add to it",
        head()
    );
    refused_push(&env, &hub, &["-C", w.as_str(), "push", "origin", "contingents/xyz"], &line);
    env.git(&["-C", &w, "checkout", "-q", "-b", "contingents/abc", "main"]).ok();
    commit_file(&env, &w, &port, Some(&rival), None, "rewrite: Port blockade");
    let line = format!(
        "refs/heads/contingents/abc: commit {} of abc's edition, not signed by any member of the authorised \
         roster: only a member of abc may add to it",
        head()
    );
    refused_push(&env, &hub, &["-C", w.as_str(), "push", "origin", "contingents/abc"], &line);
    env.git(&["-C", &w, "checkout", "-q", "main"]).ok();
    // A ballot on xavier's ref signed by alice.
    let ballot_ref = format!("refs/tribune/ballots/{SLUG}/xavier");
    env.git(&["-C", &w, "fetch", "-q", "origin", &format!("{ballot_ref}:{ballot_ref}")]).ok();
    let empty = env.git(&["-C", &w, "hash-object", "-t", "tree", "-w", "/dev/null"]).ok().stdout.trim().to_string();
    let tip = rev(&env, &w, &ballot_ref);
    let forged = signed_commit(&env, &w, &alice, &empty, &[&tip], "no\n\nTribune-Statement: for-the-rent-strike\n");
    let spec = format!("{forged}:{ballot_ref}");
    let line = format!("{ballot_ref}: commit {} is not signed by xavier", &forged[..10]);
    refused_push(&env, &hub, &["-C", &w, "push", "origin", &spec], &line);
    // An unsigned rating on alice's notes ref (alice has a key).
    let notes = "refs/notes/tribune/ratings/alice";
    env.git(&["-C", &w, "fetch", "-q", "origin", &format!("{notes}:{notes}")]).ok();
    env.git(&["-C", &w, "notes", "--ref", notes, "append", "-m", "v=1 rater=alice score=-3", "HEAD"]).ok();
    let line = format!("{notes}: commit {} is not signed by alice, who has a key", &rev(&env, &w, notes)[..10]);
    refused_push(&env, &hub, &["-C", &w, "push", "origin", notes], &line);
    // A statement tag that does not verify.
    env.git(&["-C", &w, "tag", "-a", "statements/other", "-m", "Approved", "HEAD"]).ok();
    let line = "refs/tags/statements/other: the approval does not verify: ";
    refused_push(&env, &hub, &["-C", &w, "push", "origin", "refs/tags/statements/other"], line);
    // A force-push of the trunk.
    let main = rev(&env, &hub, "main");
    let line = format!("refs/heads/main: not a fast-forward of {}", &main[..10]);
    refused_push(&env, &hub, &["-C", &w, "push", "-f", "origin", "HEAD~1:main"], &line);
    // A malformed ref.
    let line = "refs/tribune/ballots/for-the-rent-strike/xavier/x: not a ref tribune takes";
    let spec = format!("HEAD:{ballot_ref}/x");
    refused_push(&env, &hub, &["-C", &w, "push", "origin", &spec], line);

    // `tribune sync` over git:// shows the hub's refusal: a rating of alice's made without her
    // key (the client warns that it will show as forged, and writes it; the hub refuses it).
    // (An unsigned contribution in abc's name is refused by the client before the hub sees it.)
    let r = env.tribune(&["-C", &t, "contribute", &env.write("mill.md", article("Mill closed", "abc", "", "Shut.\n"))]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    env.tribune(&["-C", &t, "rate", "port-blockade", "--score", "-2", "--as", "alice"]).ok();
    let before = env.refs(&hub);
    let r = env.tribune(&["-C", &t, "sync"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("remote: tribune: refused {notes}: commit ")), "{}", r.stderr);
    assert!(r.stderr.contains("is not signed by alice, who has a key"), "{}", r.stderr);
    assert_eq!(env.refs(&hub), before);
    env.fsck(&hub);
    drop(daemon);
}

#[test]
fn an_unfounded_hub_says_so_once_and_still_refuses_what_needs_no_authority() {
    let env = Env::new();
    let hub = env.commons_with_article("port-blockade");
    env.tribune(&["hook", "install", &hub]).ok();
    let daemon = Daemon::start(&env);
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", &daemon.url("c"), &w]).ok();
    // Anyone may change the roster of an unfounded commons.
    commit_file(
        &env,
        &w,
        "roster/members/x1.toml",
        Some("name = \"x1\"\ncontingent = \"abc\"\nemail = \"x1@example.org\"\n"),
        None,
        "x1",
    );
    let r = env.git(&["-C", &w, "push", "origin", "main"]).ok();
    assert_eq!(r.stderr.matches("remote: tribune: this commons is unfounded").count(), 1, "{}", r.stderr);
    assert_eq!(rev(&env, &hub, "main"), rev(&env, &w, "HEAD"));
    // Not a force-push, nor an unsigned ballot.
    let main = rev(&env, &hub, "main");
    let line = format!("refs/heads/main: not a fast-forward of {}", &main[..10]);
    refused_push(&env, &hub, &["-C", &w, "push", "-f", "origin", "HEAD~1:main"], &line);
    // The oldest commit the ref would take is named.
    let root = env.git(&["-C", &w, "rev-list", "--max-parents=0", "HEAD"]).ok().stdout.trim().to_string();
    let line = format!("refs/tribune/ballots/s/alice: commit {} is not signed by alice", &root[..10]);
    refused_push(&env, &hub, &["-C", &w, "push", "origin", "HEAD:refs/tribune/ballots/s/alice"], &line);
    drop(daemon);
}

#[test]
fn install_refuses_a_work_tree_and_a_hook_that_is_not_tribunes_and_replaces_its_own() {
    let env = Env::new();
    let hub = env.init();
    let w = env.clone_of(&hub, "w");
    let r = env.tribune(&["hook", "install", &w]).fails(1, "is not a bare repository: it has a work tree");
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    env.tribune(&["hook", "install", &hub]).ok();
    let first = std::fs::read_to_string(format!("{hub}/hooks/pre-receive")).unwrap();
    env.tribune(&["-C", &hub, "hook", "install"]).ok();
    assert_eq!(std::fs::read_to_string(format!("{hub}/hooks/pre-receive")).unwrap(), first);
    std::fs::write(format!("{hub}/hooks/pre-receive"), "#!/bin/sh\nexit 0\n").unwrap();
    env.tribune(&["hook", "install", &hub]).fails(1, "already has a pre-receive hook that is not tribune's");
    assert_eq!(std::fs::read_to_string(format!("{hub}/hooks/pre-receive")).unwrap(), "#!/bin/sh\nexit 0\n");
    // The body, for forges that take a command: a line that is not git's is refused.
    let r = env.tribune_stdin(&["-C", &hub, "hook", "pre-receive"], b"not a ref update\n");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a line git gives a pre-receive hook"), "{}", r.stderr);
    // A line of a megabyte is quoted in part, not echoed back whole.
    let long = format!("{}\n", "x".repeat(1 << 20));
    let r = env.tribune_stdin(&["-C", &hub, "hook", "pre-receive"], long.as_bytes());
    assert_eq!(r.code, 1);
    assert!(r.stderr.len() < 2_000, "{} bytes of error", r.stderr.len());
    // With its standard error a pipe nobody reads (a pusher gone), a refusal is still exit
    // 1, not a panic (101).
    let input = env.write("bad-line", "not a ref update\n");
    let script = format!(
        "set -o pipefail; '{}' -C '{hub}' hook pre-receive < '{input}' 2>&1 >/dev/null | (exec 0<&-; sleep 1)",
        env!("CARGO_BIN_EXE_tribune")
    );
    let status =
        std::process::Command::new("bash").args(["-c", &script]).envs(env.vars.iter().cloned()).status().unwrap();
    assert_eq!(status.code(), Some(1));
}

/// A hub made with `git clone --bare` of a commons whose trunk is not `main` has no
/// tribune.trunk: `hook install` takes the trunk from the branch HEAD names, and the hook
/// guards it.
#[test]
fn the_hook_guards_the_trunk_head_names_when_it_is_not_main() {
    let env = Env::new();
    let (ann, _) = keypair(&env, "ann");
    let c = env.path("c").to_string_lossy().into_owned();
    let args = ["init", &c, "--org", "X", "--founder", "ann", "--contingent", "abc", "--key", &ann, "--trunk", "trunk"];
    env.tribune(&args).ok();
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &c, &hub]).ok();
    let r = env.tribune(&["hook", "install", &hub]).ok();
    assert!(
        r.stdout.contains("The trunk is trunk, the branch HEAD names (recorded as tribune.trunk)."),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("no commons yet"), "{}", r.stdout);
    let w = env.clone_of(&hub, "w");
    let x = "name = \"x\"\ncontingent = \"abc\"\nemail = \"x@example.org\"\n";
    crate::test_article_rules::commit_file(&env, &w, "roster/members/x.toml", Some(x), None, "add x");
    let push = env.git(&["-C", &w, "push", "origin", "trunk"]);
    assert_ne!(push.code, 0, "the hub took it:\n{}", push.stderr);
    assert!(push.stderr.contains("remote: tribune: refused refs/heads/trunk: "), "{}", push.stderr);
}

/// A push deleting the trunk of a founded hub is refused with that one reason, and nothing
/// calls the commons unfounded (after the deletion there is no commons to say it of).
#[test]
fn deleting_the_trunk_of_a_founded_hub_is_refused_without_calling_it_unfounded() {
    let mut env = Env::new();
    let demo = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &demo]).ok();
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &demo, &hub]).ok();
    let main = rev(&env, &hub, "main");
    let line = format!("{main} {} refs/heads/main\n", "0".repeat(40));
    // As git runs the hook: in the hub, with GIT_DIR set.
    env.vars.push(("GIT_DIR".into(), hub.clone()));
    let r = env.tribune_stdin(&["hook", "pre-receive"], line.as_bytes());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("tribune: refused refs/heads/main: the trunk is never deleted\n"), "{}", r.stderr);
    assert!(!r.stderr.contains("unfounded"), "{}", r.stderr);
}

/// A sync whose push the hub's hook refuses says so: the demo holds a ballot signed with
/// another member's key, which the hook refuses, and the atomic push takes nothing.
#[test]
fn a_sync_refused_by_the_hubs_hook_says_the_hook_refused_it() {
    let env = Env::new();
    let hub = crate::harness::demo_hub(&env);
    let demo = env.path("demo").to_string_lossy().into_owned();
    let k = env.path("k").to_string_lossy().into_owned();
    env.tribune(&["clone", &demo, &k]).ok();
    env.git(&["-C", &k, "remote", "set-url", "origin", &hub]).ok();
    let before = env.refs(&hub);
    let r = env.tribune(&["-C", &k, "sync"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("the hub's pre-receive hook refused the refs"), "{}", r.stderr);
    assert!(!r.stderr.contains("check your access"), "{}", r.stderr);
    assert_eq!(env.refs(&hub), before, "nothing was pushed");
}

/// A hub whose path holds ':' (git then quotes it in GIT_ALTERNATE_OBJECT_DIRECTORIES while
/// the hook runs) judges a push by its own objects: an honest trunk commit is taken. It was
/// refused as "not a commons", the hub's objects unread.
#[test]
fn a_hub_whose_path_holds_a_colon_reads_its_own_objects_in_the_hook() {
    let env = Env::new();
    let demo = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &demo]).ok();
    let hub = env.path("co:lon/hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &demo, &hub]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "-b", "main", &hub, &w]).ok();
    write_files(&w, &[("NOTES.txt", Some("notes\n"))]);
    env.git(&["-C", &w, "add", "NOTES.txt"]).ok();
    env.git(&["-C", &w, "commit", "-q", "-m", "a file outside tribune's paths"]).ok();
    let r = env.git(&["-C", &w, "push", "origin", "main"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rev(&env, &hub, "main"), rev(&env, &w, "HEAD"));
}

/// The install has git check every pushed object as `git fsck` does: a tree with two
/// entries of one name (which git and tribune would read apart) is refused with the push.
#[test]
fn install_has_git_refuse_malformed_trees_pushed() {
    let env = Env::new();
    let hub = env.commons_with_article("port-blockade");
    let r = env.tribune(&["hook", "install", &hub]).ok();
    assert!(!r.stdout.contains("receive.fsckObjects"), "{}", r.stdout);
    assert_eq!(env.git(&["-C", &hub, "config", "receive.fsckObjects"]).ok().stdout.trim(), "true");
    let daemon = Daemon::start(&env);
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", &daemon.url("c"), &w]).ok();
    // A tree naming one file twice, written as git never would.
    let blob = env.git(&["-C", &w, "rev-parse", "HEAD:tribune.toml"]).ok().stdout.trim().to_string();
    let mut raw = Vec::new();
    for _ in 0..2 {
        raw.extend_from_slice(b"100644 index.md\0");
        raw.extend((0..20).map(|i| u8::from_str_radix(&blob[2 * i..2 * i + 2], 16).unwrap()));
    }
    let file = env.path("tree.raw");
    std::fs::write(&file, raw).unwrap();
    let tree =
        env.git(&["-C", &w, "hash-object", "-t", "tree", "--literally", "-w", &file.to_string_lossy()]).ok().stdout;
    let commit = env.git(&["-C", &w, "commit-tree", tree.trim(), "-p", "HEAD", "-m", "dup"]).ok().stdout;
    let before = env.refs(&hub);
    let r = env.git(&["-C", &w, "push", "origin", &format!("{}:refs/heads/other", commit.trim())]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("duplicateEntries") || r.stderr.contains("fsck"), "{}", r.stderr);
    assert_eq!(env.refs(&hub), before);
    // A hub that says otherwise is left as it says, with a note.
    env.git(&["-C", &hub, "config", "receive.fsckObjects", "false"]).ok();
    let r = env.tribune(&["hook", "install", &hub]).ok();
    assert!(r.stdout.contains("receive.fsckObjects is false"), "{}", r.stdout);
    drop(daemon);
}

/// An approval pushed together with ballots it leaves out, which change its outcome: the
/// hook judged the tag against the ballots from before the push and took both, and the hub
/// then held, for good (a statement tag is never moved or deleted), an approval `verify`
/// fails. Now the tag is judged against the ballots as the push leaves them.
#[test]
fn an_approval_pushed_with_the_ballots_it_leaves_out_is_refused() {
    use crate::vote_fixture::{self, SLUG};
    let v = vote_fixture::setup(4);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    let before = v.env.last();
    let c = v.c.clone();
    let forger = v.env.path("forger").to_string_lossy().into_owned();
    let cp = Command::new("cp").args(["-a", &c, &forger]).output().unwrap();
    assert!(cp.status.success());
    v.env.tribune(&["hook", "install", &c]).ok();
    // On the forger's copy: m1's approval of 3 yes of 4, then m2's and m3's "no", dated
    // before it, which it leaves out (2 no of 3 cast: it does not pass).
    v.env.tribune(&["-C", &forger, "approve", SLUG, "--as", "m1", "--key", v.key("m1")]).ok();
    v.env.set_clock(&before);
    let tree = v.env.git(&["-C", &forger, "mktree"]).ok().stdout.trim().to_string();
    for m in ["m2", "m3"] {
        let r = format!("refs/tribune/ballots/{SLUG}/{m}");
        let tip = rev(&v.env, &forger, &r);
        let no = signed_commit(&v.env, &forger, v.key(m), &tree, &[&tip], &v.message(m, "no", 2));
        v.env.git(&["-C", &forger, "update-ref", &r, &no]).ok();
    }
    v.env.tribune(&["-C", &forger, "verify", SLUG]).fails(1, "failed verification");
    let refs = v.env.refs(&c);
    let tag = format!("refs/tags/statements/{SLUG}");
    let r = v.env.git(&["-C", &forger, "push", &c, "refs/tribune/*:refs/tribune/*", &format!("{tag}:{tag}")]);
    assert!(r.code != 0 && r.stderr.contains(&format!("refused {tag}")), "{}", r.stderr);
    assert_eq!(v.env.refs(&c), refs, "nothing of the push was taken");
    // The ballots alone are taken; the approval, pushed after them, is refused as well.
    v.env.git(&["-C", &forger, "push", "-q", &c, "refs/tribune/*:refs/tribune/*"]).ok();
    let r = v.env.git(&["-C", &forger, "push", &c, &format!("{tag}:{tag}")]);
    assert!(r.code != 0 && r.stderr.contains(&format!("refused {tag}")), "{}", r.stderr);
}
