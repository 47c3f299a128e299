//! Sync in the face of what one writer or one clone does (issue 12): a malformed ref affects
//! only the records on it; one writer on two clones (a member voting from a laptop and a
//! desktop, a contingent rewriting from two places) merges instead of diverging for good;
//! two syncs at once in one clone both succeed.

use crate::harness::{rev, Env};
use crate::sync_fixture::*;
use serde_json::Value;

fn ballot_ref(member: &str) -> String {
    format!("refs/tribune/ballots/{SLUG}/{member}")
}

/// A blob written in `repo`, to point refs at.
fn blob(env: &Env, repo: &str) -> String {
    let f = env.write("junk", "junk\n");
    env.git(&["-C", repo, "hash-object", "-w", &f]).ok().stdout.trim().to_string()
}

fn json(r: &crate::harness::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn vote(n: &Net, clone: &str, member: usize, choice: &str) {
    n.t(clone, &["vote", SLUG, choice, "--as", &format!("m{member}"), "--key", n.key(member)]).ok();
}

/// The tally's ballots of `member` on `clone`: (seq, status, reason) for each ballot proper.
fn ballots(n: &Net, clone: &str, member: &str) -> (Value, Vec<(u64, String, String)>) {
    let t = json(&n.t(clone, &["tally", SLUG, "--json"]).ok());
    let list = t["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["member"] == member && b["seq"].is_u64())
        .map(|b| {
            (
                b["seq"].as_u64().unwrap(),
                b["status"].as_str().unwrap().to_string(),
                b["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (t, list)
}

/// Malformed local refs (a rater's notes, a member's ballots, a statement tag pointing at a
/// blob) are never pushed and are named once each; the sync does everything else and exits
/// 0. The same refs malformed on the hub are named once each by every other clone, whose
/// sync also does everything else and exits 0.
#[test]
fn a_malformed_ref_here_or_on_the_hub_is_one_warning_and_sync_does_the_rest() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    vote(&n, &a, 1, "yes");
    n.contribute(&a, "From a", "abc", "Text.");
    let junk = blob(&n.env, &a);
    let bad =
        ["refs/notes/tribune/ratings/blobby".to_string(), ballot_ref("m2"), "refs/tags/statements/blobtag".to_string()];
    for r in &bad {
        n.git(&a, &["update-ref", r, &junk]).ok();
    }
    let r = n.t(&a, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for name in &bad {
        let lines: Vec<&str> = r.stderr.lines().filter(|l| l.contains(name.as_str())).collect();
        assert_eq!(lines.len(), 1, "one warning for {name}:\n{}", r.stderr);
        assert!(lines[0].starts_with("warning: ") && lines[0].contains("not pushed"), "{}", lines[0]);
    }
    let hub = n.env.refs(&n.hub);
    for name in &bad {
        assert!(!hub.contains(name.as_str()), "{name} was pushed to the hub:\n{hub}");
    }
    assert!(hub.contains(&ballot_ref("m1")), "m1's ballot was not pushed:\n{hub}");
    assert!(n.t(&n.hub, &["list", "--json"]).ok().stdout.contains("from-a"));
    let j = json(&n.t(&a, &["sync", "--json"]).ok());
    assert_eq!(j["warnings"].as_array().unwrap().len(), 3, "{j:#}");

    // The same malformed refs on the hub (someone pushed them with plain git), and m1's
    // ballot ref too: b's sync names each once, takes none, and does everything else.
    let junk = blob(&n.env, &n.hub);
    for name in bad.iter().chain([&ballot_ref("m1")]) {
        n.git(&n.hub, &["update-ref", name, &junk]).ok();
    }
    vote(&n, &b, 3, "no");
    n.contribute(&b, "From b", "xyz", "Text.");
    let r = n.t(&b, &["sync", "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let j = json(&r);
    // Each warning is data: the ref, the side it is on, and what it points at.
    let warnings = j["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    for w in warnings {
        assert_eq!(
            (w["side"].as_str(), w["found"].as_str(), w["object"].as_str()),
            (Some("remote"), Some("blob"), Some(junk.as_str())),
            "{w:#}"
        );
    }
    for name in bad.iter().chain([&ballot_ref("m1")]) {
        assert_eq!(warnings.iter().filter(|w| w["refname"] == name.as_str()).count(), 1);
        assert_eq!(
            r.stderr.lines().filter(|l| l.starts_with(&format!("warning: {name}: origin's copy points at"))).count(),
            1
        );
        assert_eq!(r.stderr.lines().filter(|l| l.starts_with("warning: ") && l.contains(name.as_str())).count(), 1);
    }
    assert!(j["diverged"].as_array().unwrap().is_empty(), "{j:#}");
    let local = n.env.refs(&b);
    for name in bad.iter().chain([&ballot_ref("m1")]) {
        assert!(!local.contains(&format!("{name} ")), "{name} was taken:\n{local}");
    }
    let hub = n.env.refs(&n.hub);
    assert!(hub.contains(&ballot_ref("m3")), "m3's ballot was not pushed:\n{hub}");
    assert!(n.t(&n.hub, &["list", "--json"]).ok().stdout.contains("from-b"));
    // a, whose m1 ballot is sound, is told about the hub's copy and still exits 0.
    let r = n.t(&a, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(&format!("warning: {}: origin's copy", ballot_ref("m1"))), "{}", r.stderr);
    n.env.fsck(&b);
}

/// A member votes on a laptop and on a desktop. The second clone to sync merges the two
/// ballot histories (a merge commit, unsigned there: no key of m1's is configured; signed
/// where git's key is m1's), exits 0, and says that both ballots have the same sequence
/// number; the tally excludes both with that reason; a new vote on either clone counts.
#[test]
fn one_member_voting_on_two_clones_merges_and_a_new_vote_settles_it() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    n.git(&a, &["config", "gpg.format", "ssh"]).ok();
    n.git(&a, &["config", "user.signingkey", n.key(1)]).ok();
    vote(&n, &a, 1, "yes");
    vote(&n, &b, 1, "no");
    let (on_a, on_b) = (rev(&n.env, &a, &ballot_ref("m1")), rev(&n.env, &b, &ballot_ref("m1")));
    n.t(&a, &["sync"]).ok();
    let r = n.t(&b, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let merged =
        r.stdout.lines().find(|l| l.starts_with(&format!("MERGED {}", ballot_ref("m1")))).unwrap_or_else(|| {
            panic!("no MERGED line:\n{}", r.stdout);
        });
    assert!(merged.contains("same sequence number (1)") && merged.contains("votes again"), "{merged}");
    // The merge commit: empty tree, b's ballot then a's, the trailers, unsigned on b.
    let tip = rev(&n.env, &n.hub, &ballot_ref("m1"));
    assert_eq!(tip, rev(&n.env, &b, &ballot_ref("m1")));
    let parents = n.git(&n.hub, &["rev-parse", &format!("{tip}^1"), &format!("{tip}^2")]).ok().stdout;
    assert_eq!(parents, format!("{on_b}\n{on_a}\n"));
    let raw = n.git(&n.hub, &["cat-file", "-p", &tip]).ok().stdout;
    assert!(raw.starts_with("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"), "{raw}");
    assert!(raw.contains("\nTribune-Action: merge-ballots\nTribune-Member: m1\n"), "{raw}");
    assert!(!raw.contains("gpgsig"), "{raw}");
    // The tally walks through the merge to both ballots, and excludes both.
    let (t, list) = ballots(&n, &b, "m1");
    assert_eq!(list.len(), 2, "{t:#}");
    for (seq, status, reason) in &list {
        assert_eq!((*seq, status.as_str()), (1, "excluded"), "{t:#}");
        assert!(reason.contains("seq conflict"), "{reason}");
    }
    assert_eq!((t["counts"]["yes"].as_u64(), t["counts"]["no"].as_u64()), (Some(0), Some(0)), "{t:#}");
    // m1 votes again on a (after a sync): that ballot counts, everywhere.
    n.t(&a, &["sync"]).ok();
    vote(&n, &a, 1, "yes");
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    let (t, list) = ballots(&n, &b, "m1");
    assert!(list.contains(&(2, "counted".to_string(), String::new())), "{t:#}");
    assert_eq!(t["counts"]["yes"].as_u64(), Some(1), "{t:#}");

    // Again, the other way round: a merges, and signs the merge with m1's key.
    vote(&n, &b, 1, "abstain");
    vote(&n, &a, 1, "no");
    n.t(&b, &["sync"]).ok();
    let r = n.t(&a, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("same sequence number (3)"), "{}", r.stdout);
    let tip = rev(&n.env, &n.hub, &ballot_ref("m1"));
    assert!(n.git(&n.hub, &["cat-file", "-p", &tip]).ok().stdout.contains("gpgsig"));
    // Voting again on the other clone settles it too.
    n.t(&b, &["sync"]).ok();
    vote(&n, &b, 1, "no");
    n.t(&b, &["sync"]).ok();
    n.t(&a, &["sync"]).ok();
    let (t, list) = ballots(&n, &a, "m1");
    assert!(list.contains(&(4, "counted".to_string(), String::new())), "{t:#}");
    assert_eq!(t["counts"]["no"].as_u64(), Some(1), "{t:#}");
    assert_eq!(n.refs(&a), n.refs(&n.hub));
    n.env.fsck(&a);
}

/// A contingent rewrites one article on one clone and another article on another: the
/// second sync merges the edition (a merge commit, local tip then the remote's) and both
/// rewrites reach everyone. Both rewriting the same article is a conflict: the edition is
/// left as it was and named with the article and what to run, and doing that settles it.
#[test]
fn an_edition_rewritten_on_two_clones_merges_and_a_conflict_names_the_article() {
    let (n, a, b) = Net::two_with_heat();
    n.contribute(&a, "Cold store", "abc", "Cold, original.");
    n.t(&a, &["sync"]).ok();
    n.t(&b, &["sync"]).ok();
    let rewrite = |clone: &str, title: &str, slug: &str, body: &str| {
        let f = n.env.write(&format!("in/{slug}-{body}.md"), article(title, "abc", body));
        n.t(clone, &["rewrite", slug, "--contingent", "abc", "--file", &f]).ok();
    };
    rewrite(&a, "Heat at the depot", HEAT, "Heat, as a rewrote it.");
    rewrite(&b, "Cold store", "cold-store", "Cold, as b rewrote it.");
    let (on_a, on_b) = (rev(&n.env, &a, "contingents/abc"), rev(&n.env, &b, "contingents/abc"));
    n.t(&a, &["sync"]).ok();
    let r = n.t(&b, &["sync"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("MERGED refs/heads/contingents/abc"), "{}", r.stdout);
    let tip = rev(&n.env, &n.hub, "contingents/abc");
    let parents = n.git(&n.hub, &["rev-parse", &format!("{tip}^1"), &format!("{tip}^2")]).ok().stdout;
    assert_eq!(parents, format!("{on_b}\n{on_a}\n"));
    let raw = n.git(&n.hub, &["cat-file", "-p", &tip]).ok().stdout;
    assert!(raw.contains("\nTribune-Action: merge-edition\n"), "{raw}");
    n.t(&a, &["sync"]).ok();
    for c in [&a, &b, &n.hub] {
        assert!(n.t(c, &["show", &format!("{HEAT}@abc"), "--raw"]).ok().stdout.contains("as a rewrote it"));
        assert!(n.t(c, &["show", "cold-store@abc", "--raw"]).ok().stdout.contains("as b rewrote it"));
    }

    // Both rewrite the same article: a conflict, named with the article and the commands.
    rewrite(&a, "Heat at the depot", HEAT, "Heat, a's second thoughts.");
    rewrite(&b, "Heat at the depot", HEAT, "Heat, b's second thoughts.");
    n.t(&a, &["sync"]).ok();
    let before = rev(&n.env, &b, "contingents/abc");
    let r = n.t(&b, &["sync"]).fails(1, "left unchanged");
    let line = r.stdout.lines().find(|l| l.starts_with("DIVERGED refs/heads/contingents/abc")).unwrap_or_else(|| {
        panic!("no DIVERGED line:\n{}", r.stdout);
    });
    assert!(line.contains(&format!("abc's text of {HEAT}")), "{line}");
    assert!(line.contains(&format!(" diff {HEAT} ")), "{line}");
    assert!(line.contains("`git worktree add ../merge-abc contingents/abc`"), "{line}");
    assert_eq!(rev(&n.env, &b, "contingents/abc"), before, "the edition was changed");
    // What the hint says to do settles it.
    n.git(&b, &["worktree", "add", "-q", "../merge-abc", "contingents/abc"]).ok();
    let dir = n.env.path("merge-abc").to_string_lossy().into_owned();
    assert_eq!(n.env.git(&["-C", &dir, "merge", "-q", "origin/contingents/abc"]).code, 1, "a conflict to settle");
    let text = n.t(&a, &["show", &format!("{HEAT}@abc"), "--raw"]).ok().stdout.replace("a's second", "our joint");
    std::fs::write(format!("{dir}/{}", crate::harness::text_path(HEAT)), text).unwrap();
    n.env.git(&["-C", &dir, "commit", "-q", "-a", "--no-edit"]).ok();
    n.git(&b, &["worktree", "remove", "../merge-abc"]).ok();
    n.t(&b, &["sync"]).ok();
    n.t(&a, &["sync"]).ok();
    assert!(n.t(&a, &["show", &format!("{HEAT}@abc"), "--raw"]).ok().stdout.contains("our joint thoughts"));
    assert_eq!(n.refs(&a), n.refs(&b));
    n.env.fsck(&b);
}

/// Four syncs at once in one clone, with local writes (articles, ratings) between them and
/// another clone moving the hub: every sync exits 0 and nothing written is lost.
#[test]
fn four_syncs_at_once_in_one_clone_all_succeed_and_lose_nothing() {
    let n = Net::new();
    n.contribute(&n.hub, "Rated", "abc", "Text.");
    let (a, b) = (n.clone("a"), n.clone("b"));
    let mut slugs = Vec::new();
    for round in 0..3 {
        let gate = crate::harness::Gate::new(&n.env, &format!("gate{round}"));
        let mut children = Vec::new();
        let mut what = Vec::new();
        for i in 0..4 {
            children.push(n.env.spawn_behind(&gate, &["-C", &a, "sync"]));
            what.push(format!("sync {i} of a"));
            // A local write between the syncs.
            let title = format!("Round {round} write {i}");
            let f = n.env.write(&format!("in/{round}-{i}.md"), article(&title, "abc", "Text."));
            children.push(n.env.spawn_behind(&gate, &["-C", &a, "contribute", &f]));
            what.push(format!("contribute {title}"));
            slugs.push(format!("round-{round}-write-{i}"));
        }
        let rater = format!("reader{round}");
        children.push(n.env.spawn_behind(&gate, &["-C", &a, "rate", "rated", "--score", "1", "--as", &rater]));
        what.push(format!("rate as {rater}"));
        let title = format!("Round {round} from b");
        n.contribute(&b, &title, "xyz", "Text.");
        slugs.push(format!("round-{round}-from-b"));
        children.push(n.env.spawn_behind(&gate, &["-C", &b, "sync"]));
        what.push("sync of b".to_string());
        for (w, r) in what.iter().zip(gate.open(children)) {
            assert_eq!(r.code, 0, "round {round}: {w} failed:\n{}\n{}", r.stdout, r.stderr);
        }
    }
    for c in [&a, &b, &a] {
        n.t(c, &["sync"]).ok();
    }
    let list = n.t(&n.hub, &["list", "--json", "--limit", "1000"]).ok().stdout;
    for slug in &slugs {
        assert!(list.contains(&format!("\"{slug}\"")), "{slug} was lost:\n{list}");
    }
    for round in 0..3 {
        let notes = n.git(&n.hub, &["notes", "--ref", &format!("tribune/ratings/reader{round}"), "list"]).ok().stdout;
        assert_eq!(notes.lines().count(), 1, "reader{round}'s rating: {notes:?}");
    }
    assert_eq!(n.refs(&a), n.refs(&n.hub));
    assert_eq!(n.refs(&b), n.refs(&n.hub));
    n.env.fsck(&a);
}

#[test]
fn a_ref_below_a_members_ref_on_the_hub_is_never_taken_and_a_broken_copy_there_is_replaced() {
    let n = Net::new();
    let a = n.clone("a");
    vote(&n, &a, 1, "yes");
    n.t(&a, &["sync"]).ok();
    // Someone who can push adds refs one level below m2's ballot ref and xyz's edition, and
    // points the hub's copy of m3's ballot ref at a blob.
    let tip = rev(&n.env, &n.hub, &ballot_ref("m1"));
    for r in [format!("{}/x", ballot_ref("m2")), "refs/heads/contingents/xyz/x".to_string()] {
        n.git(&n.hub, &["update-ref", &r, &tip]).ok();
    }
    let junk = blob(&n.env, &n.hub);
    n.git(&n.hub, &["update-ref", &ballot_ref("m3"), &junk]).ok();
    let b = n.clone("b");
    let taken = n.git(&b, &["for-each-ref", "--format=%(refname)"]).ok().stdout;
    let local = |l: &&str| !l.starts_with("refs/remotes/") && !l.starts_with("refs/tribune-sync/");
    assert!(!taken.lines().filter(local).any(|l| l.ends_with("/x")), "refs of no writer's shape were taken:\n{taken}");
    // m3's ballot reaches the hub over the broken copy there, with one warning.
    vote(&n, &b, 3, "no");
    let r = n.t(&b, &["sync"]).ok();
    assert!(r.stderr.contains(&ballot_ref("m3")), "one warning names the broken copy:\n{}", r.stderr);
    assert_eq!(rev(&n.env, &n.hub, &ballot_ref("m3")), rev(&n.env, &b, &ballot_ref("m3")), "replaced");
    let t = json(&n.t(&n.hub, &["tally", SLUG, "--json"]).ok());
    assert_eq!((t["counts"]["yes"].as_u64(), t["counts"]["no"].as_u64()), (Some(1), Some(1)), "{t:#}");
    // m2 still votes on b (the hub itself cannot hold m2's ref beside m2/x: its hook must refuse
    // such names, issue 11).
    vote(&n, &b, 2, "yes");
}
