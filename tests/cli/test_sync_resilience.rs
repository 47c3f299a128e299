//! Sync in the face of what one writer or one clone does (issue 12): a malformed ref affects
//! only the records on it; two syncs at once in one clone both succeed.

use crate::harness::Env;
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
    let warnings: Vec<&str> = j["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    for name in bad.iter().chain([&ballot_ref("m1")]) {
        assert_eq!(warnings.iter().filter(|w| w.starts_with(&format!("{name}: origin's copy"))).count(), 1);
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
