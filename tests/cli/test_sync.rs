//! Sync through an ordinary bare git remote: clones that work apart converge, lose
//! nothing, and never overwrite each other's refs.

use crate::harness::{keypair, refused, state};
use crate::sync_fixture::*;

fn slug(title: &str) -> String {
    title.to_lowercase().replace(' ', "-")
}

#[test]
fn three_clones_working_apart_converge_and_lose_nothing() {
    let n = Net::new();
    let (a, b, c) = (n.clone("a"), n.clone("b"), n.clone("c"));
    // m1 rates with a configured signing key on two clones: the merge of their notes is signed too.
    for clone in [&a, &b] {
        n.env.git(&["-C", clone, "config", "gpg.format", "ssh"]).ok();
        n.env.git(&["-C", clone, "config", "user.signingkey", n.key(1)]).ok();
    }
    let mut titles = Vec::new();
    let orders: [[&String; 3]; 3] = [[&a, &b, &c], [&c, &a, &b], [&b, &c, &a]];
    for (round, order) in orders.iter().enumerate() {
        for (i, clone) in [&a, &b, &c].iter().enumerate() {
            let title = format!("Report {round} from clone {i}");
            n.contribute(clone, &title, if i % 2 == 0 { "abc" } else { "xyz" }, &format!("Round {round}, clone {i}."));
            titles.push(title.clone());
            // The same rater on every clone, and a rater of the clone's own.
            n.t(clone, &["rate", &slug(&title), "--score", "1", "--as", "leftwire"]).ok();
            n.t(clone, &["rate", &slug(&title), "--score", "2", "--as", &format!("desk{i}")]).ok();
        }
        n.t(
            &a,
            &[
                "rate",
                &slug(&format!("Report {round} from clone 0")),
                "--score",
                "2",
                "--as",
                "m1",
                "--dimension",
                "accuracy",
            ],
        )
        .ok();
        n.t(
            &b,
            &[
                "rate",
                &slug(&format!("Report {round} from clone 1")),
                "--score",
                "-1",
                "--as",
                "m1",
                "--dimension",
                "accuracy",
            ],
        )
        .ok();
        if round == 1 {
            // A rewrite on b's edition of an article a contributed.
            let t0 = slug("Report 0 from clone 0");
            let text = n.t(&b, &["show", &t0, "--raw"]).ok().stdout;
            let f = n.env.write("rewrite.md", text.replace("Round 0, clone 0.", "Round 0, clone 0, as XYZ reads it."));
            n.t(&b, &["rewrite", &t0, "--contingent", "xyz", "--file", &f, "-m", "XYZ's reading"]).ok();
            // Each member votes on their own clone.
            for (m, clone) in [(1, &a), (2, &b), (3, &c)] {
                n.t(clone, &["vote", SLUG, "yes", "--as", &format!("m{m}"), "--key", n.key(m)]).ok();
            }
        }
        for clone in order {
            let r = n.t(clone, &["sync"]);
            assert_eq!(r.code, 0, "sync of {clone} in round {round}:\n{}\n{}", r.stdout, r.stderr);
        }
        if round == 1 {
            n.t(&c, &["sync"]).ok();
            n.t(&c, &["approve", SLUG, "--as", "m3", "--key", n.key(3)]).ok();
        }
    }
    // Two more passes carry the last clone's work to the first ones.
    for clone in [&a, &b, &c, &a, &b] {
        n.t(clone, &["sync"]).ok();
    }
    let (ra, rb, rc) = (n.refs(&a), n.refs(&b), n.refs(&c));
    assert_eq!(ra, rb);
    assert_eq!(ra, rc);
    assert!(ra.contains("refs/tags/statements/for-the-rent-strike"), "{ra}");
    assert!(ra.contains("refs/heads/contingents/xyz"), "{ra}");
    for clone in [&a, &b, &c, &n.hub] {
        n.env.fsck(clone);
    }
    // Nothing is missing: every article, every rating, the rewrite, the ballots.
    let list: serde_json::Value = serde_json::from_str(&n.t(&c, &["list", "--json"]).ok().stdout).unwrap();
    let have: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    for t in &titles {
        assert!(have.contains(&t.as_str()), "{t} is missing from {have:?}");
    }
    for (round, t) in titles.iter().enumerate() {
        let r: serde_json::Value =
            serde_json::from_str(&n.t(&a, &["ratings", &slug(t), "--json"]).ok().stdout).unwrap();
        let raters: Vec<&str> = r["ratings"].as_array().unwrap().iter().map(|x| x["rater"].as_str().unwrap()).collect();
        assert!(raters.contains(&"leftwire") && raters.contains(&format!("desk{}", round % 3).as_str()), "{t}: {r}");
    }
    let m1: serde_json::Value =
        serde_json::from_str(&n.t(&c, &["ratings", &slug("Report 2 from clone 1"), "--json"]).ok().stdout).unwrap();
    let by_m1: Vec<&serde_json::Value> =
        m1["ratings"].as_array().unwrap().iter().filter(|x| x["rater"] == "m1").collect();
    assert_eq!(by_m1.len(), 1, "{m1}");
    assert_eq!(by_m1[0]["signature"], "verified", "the merged notes are signed by m1: {m1}");
    let versions = n.t(&a, &["versions", &slug("Report 0 from clone 0")]).ok().stdout;
    assert!(versions.contains("XYZ's reading"), "{versions}");
    let tallies: Vec<String> = [&a, &b, &c]
        .iter()
        .map(|clone| {
            let t: serde_json::Value =
                serde_json::from_str(&n.t(clone, &["tally", SLUG, "--json"]).ok().stdout).unwrap();
            format!("{} {}", t["counts"], t["result"])
        })
        .collect();
    assert_eq!(tallies[0], tallies[1]);
    assert_eq!(tallies[0], tallies[2]);
    assert!(tallies[0].contains("\"yes\":3") && tallies[0].contains("approved"), "{}", tallies[0]);
    n.t(&b, &["verify"]).ok();
}

#[test]
fn a_text_changed_on_both_sides_stops_the_sync_and_keeps_both() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Heat at the depot", "abc", "The original report.");
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    let s = "heat-at-the-depot";
    let fa = n.env.write("a.md", article("Heat at the depot", "abc", "A's correction of the report."));
    let fb = n.env.write("b.md", article("Heat at the depot", "abc", "B's correction of the report."));
    n.t(&a, &["contribute", &fa, "--update"]).ok();
    n.t(&b, &["contribute", &fb, "--update"]).ok();
    n.contribute(&b, "Another report", "xyz", "Unrelated, and it must survive.");
    n.t(&a, &["sync"]).ok();
    let r = n.t(&b, &["sync"]).fails(3, "sync stopped");
    assert!(r.stdout.contains("CONFLICT heat-at-the-depot"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("`tribune -C {b} diff heat-at-the-depot trunk abc`")), "{}", r.stdout);
    assert!(r.stderr.contains("nothing is lost"), "{}", r.stderr);
    // Both texts survive: the trunk has A's, abc's edition has B's; B's other work is kept.
    let trunk = n.t(&b, &["show", s, "--raw"]).ok().stdout;
    assert!(trunk.contains("A's correction"), "{trunk}");
    let mine = n.t(&b, &["show", &format!("{s}@abc"), "--raw"]).ok().stdout;
    assert!(mine.contains("B's correction"), "{mine}");
    n.t(&b, &["show", "another-report"]).ok();
    let kept = n.env.git(&["-C", &b, "branch", "--list", "sync-conflicts/*"]).ok().stdout;
    assert!(!kept.trim().is_empty(), "the local trunk is kept on a branch");
    // Nothing was pushed by the stopped sync; the next one publishes everything.
    let hub_before = n.env.git(&["-C", &n.hub, "rev-parse", "main"]).ok().stdout;
    assert_eq!(hub_before, n.env.git(&["-C", &a, "rev-parse", "main"]).ok().stdout);
    n.t(&b, &["sync"]).ok();
    n.t(&a, &["sync"]).ok();
    let theirs = n.t(&a, &["show", &format!("{s}@abc"), "--raw"]).ok().stdout;
    assert!(theirs.contains("B's correction"), "{theirs}");
    n.t(&a, &["show", "another-report"]).ok();
    n.env.fsck(&b);
}

#[test]
fn a_plain_git_fetch_with_tribunes_refspecs_is_seen_by_read_commands() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Shared report", "abc", "The text.");
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    // Build b's index, then let a publish a rewrite.
    n.t(&b, &["list"]).ok();
    n.t(&b, &["versions", "shared-report"]).ok();
    let text = n.t(&a, &["show", "shared-report", "--raw"]).ok().stdout;
    let f = n.env.write("rw.md", text.replace("The text.", "The text, rewritten by XYZ."));
    n.t(&a, &["rewrite", "shared-report", "--contingent", "xyz", "--file", &f, "-m", "XYZ's version"]).ok();
    n.t(&a, &["sync"]).ok();
    n.env.git(&["-C", &b, "fetch", "-q", "origin"]).ok();
    let v = n.t(&b, &["versions", "shared-report"]).ok().stdout;
    assert!(v.contains("XYZ's version"), "{v}");
    let e = n.t(&b, &["list", "--edition", "xyz"]).ok().stdout;
    assert!(e.contains("Shared report"), "{e}");
    let d = n.t(&b, &["diff", "shared-report", "trunk", "xyz", "--color", "never"]).ok().stdout;
    assert!(d.contains("rewritten by XYZ"), "{d}");
}

#[test]
fn a_statement_tag_that_fails_verification_is_not_taken() {
    let n = Net::new();
    let a = n.clone("a");
    // On the hub, someone tags the statement as approved with no ballots at all.
    let stranger = keypair(&n.env, "stranger").0;
    let proposal = n.env.git(&["-C", &n.hub, "rev-parse", "main"]).ok().stdout.trim().to_string();
    let msg = n.env.write("msg", format!("Statement {SLUG} approved\n\nTribune-Statement: {SLUG}\nTribune-Yes: 3\n"));
    n.env
        .git(&[
            "-C",
            &n.hub,
            "-c",
            "gpg.format=ssh",
            "-c",
            &format!("user.signingkey={stranger}"),
            "tag",
            "-s",
            "-F",
            &msg,
            &format!("statements/{SLUG}"),
            &proposal,
        ])
        .ok();
    let r = n.t(&a, &["sync"]).fails(1, "left unchanged");
    assert!(r.stdout.contains("REJECTED"), "{}", r.stdout);
    assert!(r.stdout.contains("refs/tags/statements/for-the-rent-strike"), "{}", r.stdout);
    let tags = n.env.git(&["-C", &a, "tag", "-l"]).ok().stdout;
    assert!(tags.trim().is_empty(), "the forged tag was taken: {tags}");
    let list = n.t(&a, &["statements", "--json"]).ok().stdout;
    assert!(!list.contains("approved"), "{list}");
}

#[test]
fn a_ballot_ref_changed_on_two_clones_is_merged_and_never_overwritten() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    // m1 votes on both clones: two different histories of one per-writer ref.
    n.t(&a, &["vote", SLUG, "yes", "--as", "m1", "--key", n.key(1)]).ok();
    n.t(&b, &["vote", SLUG, "no", "--as", "m1", "--key", n.key(1)]).ok();
    n.t(&a, &["sync"]).ok();
    let refname = format!("refs/tribune/ballots/{SLUG}/m1");
    let before = n.env.git(&["-C", &b, "rev-parse", &refname]).ok().stdout;
    let r = n.t(&b, &["sync"]).ok();
    assert!(r.stdout.contains(&format!("MERGED {refname}")), "{}", r.stdout);
    // Both ballots stay, on b and on the hub: b's first.
    for c in [&b, &n.hub] {
        let log = n.env.git(&["-C", c, "log", "--format=%s", "--topo-order", &refname]).ok().stdout;
        assert!(log.starts_with("merge the ballots of m1") && log.contains("yes\n") && log.contains("no\n"), "{log}");
    }
    let first = n.env.git(&["-C", &n.hub, "rev-parse", &format!("{refname}^1")]).ok().stdout;
    assert_eq!(before, first);
}

#[test]
fn dry_run_and_fetch_only_push_nothing() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Only on a", "abc", "Text.");
    n.t(&b, &["rate", SLUG, "--score", "1", "--as", "leftwire"]).fails(1, "no article");
    let hub = |n: &Net| n.env.git(&["-C", &n.hub, "for-each-ref"]).ok().stdout;
    let before = hub(&n);
    let local = n.refs(&a);
    let r = n.t(&a, &["sync", "--dry-run"]).ok();
    assert!(r.stdout.contains("would push refs/heads/main"), "{}", r.stdout);
    assert_eq!(hub(&n), before);
    assert_eq!(n.refs(&a), local);
    n.t(&a, &["sync", "--fetch-only"]).ok();
    assert_eq!(hub(&n), before);
    let r = n.t(&a, &["sync", "--push-only"]).ok();
    assert!(r.stdout.contains("To origin: 1 article"), "{}", r.stdout);
    assert_ne!(hub(&n), before);
    let r = n.t(&b, &["sync", "--fetch-only", "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["arrived"]["articles"], 1);
    assert!(j["pushed"].as_array().unwrap().is_empty());
    // Both trunks moved: the dry run says the trunk would be merged, then pushed.
    n.contribute(&a, "Again on a", "abc", "Text.");
    n.t(&a, &["sync"]).ok();
    n.contribute(&b, "Only on b", "abc", "Text.");
    let r = n.t(&b, &["sync", "--dry-run"]).ok();
    assert!(r.stdout.contains("would merge refs/heads/main"), "{}", r.stdout);
    // A dry run does not try the merge: the push is said to follow it only if it can be made.
    assert!(r.stdout.contains("would push refs/heads/main once merged, if the merge can be made"), "{}", r.stdout);
    assert!(r.stdout.contains("but the remote-tracking refs the fetch moved"), "{}", r.stdout);
}

#[test]
fn bad_remotes_and_a_missing_git_get_clear_errors() {
    let mut n = Net::new();
    let a = n.clone("a");
    refused(&n.env, &a, &["-C", &a, "sync", "nowhere"], 1, &["no remote \"nowhere\"", "git remote add"]);
    let empty = n.env.path("empty").to_string_lossy().into_owned();
    n.env.git(&["init", "-q", "--bare", &empty]).ok();
    let r = n.env.tribune(&["clone", &empty, &n.env.path("x").to_string_lossy()]).fails(1, "not a tribune commons");
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    n.env.tribune(&["clone", &n.hub, &a]).fails(1, "already exists");
    n.env.vars.push(("PATH".into(), "/nonexistent".into()));
    n.env.tribune(&["-C", &a, "sync"]).fails(1, "cannot run git");
}

#[test]
fn a_push_that_loses_a_race_fetches_again_and_retries() {
    let mut n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "From a", "abc", "A's report.");
    n.contribute(&b, "From b", "xyz", "B's report.");
    // A git on PATH that, the first time a pushes, lets b sync first: a's lease is then stale.
    let real =
        String::from_utf8(std::process::Command::new("sh").args(["-c", "command -v git"]).output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
    let bin = n.env.path("racebin");
    std::fs::create_dir_all(&bin).unwrap();
    let marker = n.env.path("raced");
    let script = format!(
        "#!/bin/sh\ncase \" $* \" in *' push '*) if [ ! -e '{m}' ]; then touch '{m}'; '{t}' -C '{b}' sync >/dev/null 2>&1; fi;; esac\nexec '{real}' \"$@\"\n",
        m = marker.display(),
        t = env!("CARGO_BIN_EXE_tribune"),
        b = b,
    );
    let git = bin.join("git");
    std::fs::write(&git, script).unwrap();
    std::fs::set_permissions(&git, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    n.env.vars.push(("PATH".into(), path));
    let r = n.t(&a, &["sync", "--json"]).ok();
    n.env.vars.clear();
    assert!(marker.exists(), "the race was not staged");
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["retries"], 1, "{j}");
    let hub: serde_json::Value = serde_json::from_str(&n.t(&n.hub, &["list", "--json"]).ok().stdout).unwrap();
    let titles: Vec<&str> = hub.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"From a") && titles.contains(&"From b"), "{titles:?}");
    // With --push-only there is no fetch to retry with: a stale lease is a clean error.
    n.contribute(&b, "Later from b", "xyz", "More.");
    n.t(&b, &["sync"]).ok();
    n.contribute(&a, "Later from a", "abc", "More.");
    let before = n.env.git(&["-C", &n.hub, "for-each-ref"]).ok().stdout;
    n.t(&a, &["sync", "--push-only"]).fails(1, "lost a race");
    assert_eq!(n.env.git(&["-C", &n.hub, "for-each-ref"]).ok().stdout, before);
}

#[test]
fn thousands_of_refs_are_pushed_in_leased_batches() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Rated by many", "abc", "Text.");
    // 2,500 raters: more refs than one git command line may carry.
    let lines: String =
        (0..2500).map(|i| format!("{{\"slug\":\"rated-by-many\",\"score\":1,\"rater\":\"r{i:04}\"}}\n")).collect();
    let f = n.env.write("many.jsonl", lines);
    n.t(&a, &["rate", "--batch", &f]).ok();
    let r = n.t(&a, &["sync", "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["pushed"].as_array().unwrap().len(), 2501, "the trunk and 2,500 notes refs");
    assert_eq!(j["left"]["ratings"].as_object().unwrap().len(), 2500);
    let r = n.t(&b, &["sync", "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["arrived"]["ratings"].as_object().unwrap().len(), 2500);
    assert_eq!(n.refs(&a), n.refs(&b));
}

/// A tree naming `index.md` twice (what git fsck calls duplicateEntries), written into
/// clone `a` with plain git; its id.
fn duplicate_entry_tree(n: &Net, a: &str) -> String {
    let blob = n.git(a, &["rev-parse", "HEAD:tribune.toml"]).ok().stdout.trim().to_string();
    let mut raw = Vec::new();
    for _ in 0..2 {
        raw.extend_from_slice(b"100644 index.md\0");
        raw.extend((0..20).map(|i| u8::from_str_radix(&blob[2 * i..2 * i + 2], 16).unwrap()));
    }
    let file = n.env.path("tree.raw");
    std::fs::write(&file, raw).unwrap();
    let tree = n.git(a, &["hash-object", "-t", "tree", "--literally", "-w", &file.to_string_lossy()]).ok().stdout;
    tree.trim().to_string()
}

/// A remote without tribune's hook can hold a tree naming one file twice (pushed with plain
/// git), which git and tribune could read apart: `sync` has git check what it fetches,
/// takes nothing, and says why.
#[test]
fn a_malformed_tree_on_an_unguarded_remote_is_not_taken() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    let tree = duplicate_entry_tree(&n, &a);
    let commit = n.git(&a, &["commit-tree", &tree, "-p", "HEAD", "-m", "dup"]).ok().stdout;
    // The hub (no hook, git's defaults) takes it.
    n.git(&a, &["push", "-q", "origin", &format!("{}:refs/heads/main", commit.trim())]).ok();
    let before = state(&n.env, &b);
    let r = n.t(&b, &["sync"]).fails(1, "malformed objects");
    for needle in ["duplicateEntries", "git fsck", "hint:"] {
        assert!(r.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", r.stderr);
    }
    // Nothing taken: no ref moved, no object kept (git leaves the refused pack as a
    // temporary file, which `git prune` removes).
    let (refs, objects) = state(&n.env, &b);
    let objects: Vec<String> = objects.into_iter().filter(|f| !f.starts_with("objects/pack/tmp_pack_")).collect();
    assert_eq!((refs, objects), before);
    n.git(&b, &["fsck", "--strict"]).ok();
}

/// A hub without tribune's hook takes any push. A trunk commit pushed with plain git that
/// removes tribune.toml, or leaves one that does not parse, was taken by `sync`, and the
/// clone was a commons no more: every command stopped on it, sync too, even once the hub
/// was repaired. Now that trunk is named and left, the rest of the sync goes on, and a
/// repaired hub syncs as before.
#[test]
fn a_trunk_that_is_not_a_commons_is_not_taken_from_an_unguarded_hub() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    let good = crate::harness::rev(&n.env, &n.hub, "refs/heads/main");
    // Something else for b to take meanwhile: m1's ballot, cast on a.
    n.t(&a, &["vote", "for-the-rent-strike", "yes", "--as", "m1", "--key", n.key(1)]).ok();
    n.t(&a, &["sync"]).ok();
    let w = n.env.clone_of(&n.hub, "w");
    for (change, needle) in [
        (None, "not a commons tribune reads: it has no tribune.toml"),
        (Some("[org\nname = "), "not a commons tribune reads: tribune.toml"),
    ] {
        n.git(&w, &["reset", "-q", "--hard", &good]).ok();
        match change {
            None => n.git(&w, &["rm", "-q", "tribune.toml"]).ok(),
            Some(text) => {
                std::fs::write(format!("{w}/tribune.toml"), text).unwrap();
                n.git(&w, &["commit", "-q", "-a", "-m", "rules"]).ok()
            }
        };
        n.git(&w, &["commit", "-q", "--allow-empty", "-m", "no commons"]).ok();
        n.git(&w, &["push", "-q", "--force", "origin", "HEAD:main"]).ok();
        let r = n.t(&b, &["sync"]).ok();
        assert!(r.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", r.stderr);
        assert!(r.stderr.contains("it was not taken"), "{}", r.stderr);
        assert_eq!(crate::harness::rev(&n.env, &b, "refs/heads/main"), good, "b's trunk stays");
        n.t(&b, &["list"]).ok();
        n.t(&b, &["tally", "for-the-rent-strike"]).ok();
        assert_eq!(
            crate::harness::rev(&n.env, &b, "refs/tribune/ballots/for-the-rent-strike/m1"),
            crate::harness::rev(&n.env, &a, "refs/tribune/ballots/for-the-rent-strike/m1"),
            "m1's ballot arrived all the same"
        );
    }
    // The hub repaired: b syncs as before, without a warning.
    n.git(&n.hub, &["update-ref", "refs/heads/main", &good]).ok();
    let r = n.t(&b, &["sync"]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    n.git(&b, &["fsck", "--strict"]).ok();
}

/// `tribune clone` takes objects as git's clone does, unchecked (git's check made a clone of
/// 100,000 articles six times slower); the trees of every ref it took are checked as `git
/// fsck` checks them. A hub without tribune's hook holding a tree that names `index.md`
/// twice (which git and tribune could read apart) gives no clone at all, and says why.
#[test]
fn a_clone_of_a_hub_holding_a_malformed_tree_is_refused_and_removed() {
    let n = Net::new();
    let a = n.clone("a");
    let good = n.git(&a, &["rev-parse", "HEAD^{tree}"]).ok().stdout.trim().to_string();
    let bad = duplicate_entry_tree(&n, &a);
    let bad = bad.as_str();
    // The malformed tree as a directory of an edition, beside the trunk's files.
    let listing = n.git(&a, &["ls-tree", &good]).ok().stdout;
    let tree = n.env.write("tree.txt", format!("{listing}040000 tree {bad}\tzz-odd\n"));
    let mut mktree = std::process::Command::new("git");
    mktree.args(["-C", &a, "mktree"]).stdin(std::fs::File::open(&tree).unwrap());
    let top = n.env.run_command(mktree).ok().stdout;
    let commit = n.git(&a, &["commit-tree", top.trim(), "-p", "HEAD", "-m", "odd"]).ok().stdout;
    // The hub (no hook, git's defaults) takes it.
    n.git(&a, &["push", "-q", "origin", &format!("{}:refs/heads/contingents/abc", commit.trim())]).ok();

    let dir = n.env.path("b");
    let r = n.env.tribune(&["clone", &n.hub, &dir.to_string_lossy()]).fails(1, "holds a malformed tree");
    for needle in
        [bad, "(in its branch contingents/abc)", "duplicateEntries", "index.md", "nothing was cloned", "hint:"]
    {
        assert!(r.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", r.stderr);
    }
    assert!(!dir.exists(), "the clone is removed");
    // Into an empty directory that was there: left there, empty.
    let empty = n.env.path("empty");
    std::fs::create_dir(&empty).unwrap();
    n.env.tribune(&["clone", &n.hub, &empty.to_string_lossy()]).fails(1, "nothing was cloned");
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0, "the directory is left empty");
    // On a rater's notes ref instead: a clone from a path copies every object, unchecked,
    // and the first sync fetches nothing; through file:// the first sync's fetch refuses it.
    n.git(&n.hub, &["update-ref", "-d", "refs/heads/contingents/abc"]).ok();
    n.git(&n.hub, &["update-ref", "refs/notes/tribune/ratings/odd", commit.trim()]).ok();
    let r = n.env.tribune(&["clone", &n.hub, &dir.to_string_lossy()]).fails(1, "holds a malformed tree");
    assert!(
        r.stderr.contains("refs/notes/tribune/ratings/odd") && r.stderr.contains("nothing was cloned"),
        "{}",
        r.stderr
    );
    assert!(!dir.exists(), "the clone is removed");
    let url = format!("file://{}", n.hub);
    let r = n
        .env
        .tribune(&["clone", &url, &dir.to_string_lossy()])
        .fails(1, "its first sync failed, so nothing was cloned");
    assert!(r.stderr.contains("malformed objects") && !r.stderr.contains("Receiving objects"), "{}", r.stderr);
    assert!(!dir.exists(), "the clone is removed");
    // Behind a statement tag pointing at the tree itself.
    n.git(&n.hub, &["update-ref", "-d", "refs/notes/tribune/ratings/odd"]).ok();
    let tag = n.env.write(
        "tag.txt",
        format!("object {bad}\ntype tree\ntag statements/zz\ntagger T <t@example.org> 1790000000 +0000\n\nodd\n"),
    );
    let mut mktag = std::process::Command::new("git");
    mktag.args(["-C", &n.hub, "mktag"]).stdin(std::fs::File::open(&tag).unwrap());
    let tag = n.env.run_command(mktag).ok().stdout;
    n.git(&n.hub, &["update-ref", "refs/tags/statements/zz", tag.trim()]).ok();
    n.env.tribune(&["clone", &n.hub, &dir.to_string_lossy()]).fails(1, "holds a malformed tree");
    assert!(!dir.exists(), "the clone is removed");
    // The hub repaired: the clone is made.
    n.git(&n.hub, &["update-ref", "-d", "refs/tags/statements/zz"]).ok();
    n.git(&n.hub, &["gc", "-q", "--prune=now"]).ok();
    n.env.tribune(&["clone", &n.hub, &dir.to_string_lossy()]).ok();
    n.env.tribune(&["-C", &dir.to_string_lossy(), "list"]).ok();
    n.git(&dir.to_string_lossy(), &["fsck", "--strict"]).ok();
}

/// A hub whose repository is damaged (a corrupt object) is not a wrong URL: the message says
/// what is wrong where, and nothing is taken.
#[test]
fn a_damaged_hub_is_named_as_damaged_not_as_a_wrong_url() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.contribute(&a, "Heat at the depot", "abc", "The original report.");
    n.t(&a, &["sync"]).ok();
    // The new text's blob, loose on the hub (a small push is unpacked), made garbage.
    let blob = n.git(&a, &["rev-parse", &format!("main:{}", crate::harness::text_path("heat-at-the-depot"))]).ok();
    let blob = blob.stdout.trim();
    let file = std::path::Path::new(&n.hub).join("objects").join(&blob[..2]).join(&blob[2..]);
    assert!(file.exists(), "the blob is loose on the hub");
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, "garbage").unwrap();
    let before = n.refs(&b);
    let r = n.t(&b, &["sync"]).fails(1, "the remote's repository is damaged");
    assert!(r.stderr.contains("git fsck") && !r.stderr.contains("check the remote's URL"), "{}", r.stderr);
    assert_eq!(n.refs(&b), before, "nothing taken");
}

/// A root tree libgit2 cannot even parse (an entry without a name), planted on a hub's
/// branch with plain git: a clone from its path takes it unchecked, and tribune's check
/// refuses it rather than skip the ref it cannot read.
#[test]
fn a_clone_refuses_a_root_tree_that_does_not_parse() {
    let n = Net::new();
    let blob = n.git(&n.hub, &["rev-parse", "main:tribune.toml"]).ok().stdout.trim().to_string();
    let mut raw = b"100644 \0".to_vec();
    raw.extend((0..20).map(|i| u8::from_str_radix(&blob[2 * i..2 * i + 2], 16).unwrap()));
    let file = n.env.path("empty-name.raw");
    std::fs::write(&file, raw).unwrap();
    let tree = n.git(&n.hub, &["hash-object", "-t", "tree", "--literally", "-w", &file.to_string_lossy()]).ok();
    let commit = n.git(&n.hub, &["commit-tree", tree.stdout.trim(), "-p", "main", "-m", "odd"]).ok().stdout;
    n.git(&n.hub, &["update-ref", "refs/heads/contingents/abc", commit.trim()]).ok();
    let dir = n.env.path("c");
    let r = n.env.tribune(&["clone", &n.hub, &dir.to_string_lossy()]).fails(1, "holds a malformed tree");
    assert!(r.stderr.contains("emptyName") && r.stderr.contains("nothing was cloned"), "{}", r.stderr);
    assert!(!dir.exists(), "the clone is removed");
}
