//! Issue 12's defects of sync: commits that records name keep their ids, a tag that does not
//! verify is never pushed, and clones syncing at the same moment all land.

use crate::sync_fixture::Net;

#[test]
fn a_statement_approved_on_a_clone_behind_the_hub_keeps_its_proposal_through_sync() {
    let n = Net::new();
    let (a, b) = (n.clone("a"), n.clone("b"));
    // a, not synced, proposes, collects every vote and approves.
    let s = n.env.write("second.md", "+++\ntitle = \"Against the eviction\"\n+++\nWe oppose it.\n");
    let j = n.t(&a, &["propose", &s, "--deadline", "2026-12-01T00:00:00Z", "--json"]).ok().stdout;
    let proposal = serde_json::from_str::<serde_json::Value>(&j).unwrap()["commit"].as_str().unwrap().to_string();
    for m in 1..=3 {
        n.t(&a, &["vote", "against-the-eviction", "yes", "--as", &format!("m{m}"), "--key", n.key(m)]).ok();
    }
    n.t(&a, &["approve", "against-the-eviction", "--as", "m1", "--key", n.key(1)]).ok();
    // Meanwhile the hub's trunk moved on.
    n.contribute(&b, "Heat at the depot", "abc", "The original report.");
    n.t(&b, &["sync"]).ok();
    let r = n.t(&a, &["sync"]).ok();
    assert!(!r.stdout.contains("NOT PUSHED"), "{}", r.stdout);
    // The proposal is still the commit the ballots and the tag name, on a and at the hub.
    let log = n.git(&a, &["rev-list", "main"]).ok().stdout;
    assert!(log.lines().any(|l| l == proposal), "the proposal {proposal} left the trunk:\n{log}");
    n.t(&a, &["verify", "against-the-eviction"]).ok();
    n.t(&n.hub, &["verify", "against-the-eviction"]).ok();
    n.t(&b, &["sync"]).ok();
    n.t(&b, &["verify", "against-the-eviction"]).ok();
    let t: serde_json::Value =
        serde_json::from_str(&n.t(&b, &["tally", "against-the-eviction", "--json"]).ok().stdout).unwrap();
    assert_eq!(t["proposal"], proposal.as_str());
    assert_eq!(t["result"], "approved");
    n.env.fsck(&n.hub);
}

#[test]
fn sync_never_pushes_a_statement_tag_that_does_not_verify() {
    let n = Net::new();
    let a = n.clone("a");
    // A tag under statements/ that approves nothing: made with plain git, unsigned.
    n.git(&a, &["tag", "-a", "statements/for-the-rent-strike", "-m", "approved, trust me", "main"]).ok();
    let r = n.t(&a, &["sync"]).fails(1, "left unchanged");
    assert!(r.stdout.contains("NOT PUSHED") && r.stdout.contains("statements/for-the-rent-strike"), "{}", r.stdout);
    let hub_tags = n.git(&n.hub, &["tag", "--list"]).ok().stdout;
    assert!(!hub_tags.contains("statements/"), "{hub_tags}");
}

#[test]
fn four_clones_syncing_at_once_for_several_rounds_converge_and_lose_nothing() {
    let n = Net::new();
    let clones: Vec<String> = (1..=4).map(|i| n.clone(&format!("c{i}"))).collect();
    let tribune = crate::harness::binary();
    let mut expected_articles = Vec::new();
    for round in 0..3 {
        // Local work of every kind on each clone: an article, a rating, and (members) a vote.
        for (i, c) in clones.iter().enumerate() {
            let title = format!("Report {round} from clone {i}");
            n.contribute(c, &title, if i % 2 == 0 { "abc" } else { "xyz" }, "Something happened.");
            expected_articles.push(format!("report-{round}-from-clone-{i}"));
            let slug = format!("report-{round}-from-clone-{i}");
            n.t(c, &["rate", &slug, "--score", "1", "--as", &format!("reader{i}")]).ok();
            if i < 3 && round == 0 {
                let m = i + 1;
                n.t(c, &["vote", "for-the-rent-strike", "yes", "--as", &format!("m{m}"), "--key", n.key(m)]).ok();
            }
        }
        // All four sync at the same moment.
        let children: Vec<std::process::Child> = clones
            .iter()
            .map(|c| {
                let mut cmd = std::process::Command::new(&tribune);
                cmd.args(["-C", c, "sync"]);
                n.env.pin_command(&mut cmd);
                cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
            })
            .collect();
        for (c, child) in clones.iter().zip(children) {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: sync of {c} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // One more quiet sync each, and everyone holds the same refs as the hub.
    for _ in 0..2 {
        for c in &clones {
            n.t(c, &["sync"]).ok();
        }
    }
    let hub = n.refs(&n.hub);
    for c in &clones {
        assert_eq!(n.refs(c), hub, "{c} differs from the hub");
        n.env.fsck(c);
    }
    let list = n.t(&n.hub, &["list", "--json", "--limit", "1000"]).ok().stdout;
    for slug in &expected_articles {
        assert!(list.contains(&format!("\"{slug}\"")), "{slug} lost:\n{list}");
    }
    for i in 0..4 {
        let notes = n.git(&n.hub, &["notes", "--ref", &format!("tribune/ratings/reader{i}"), "list"]).ok().stdout;
        assert_eq!(notes.lines().count(), 3, "reader{i}'s ratings: {notes}");
    }
    let t: serde_json::Value =
        serde_json::from_str(&n.t(&n.hub, &["tally", "for-the-rent-strike", "--json"]).ok().stdout).unwrap();
    assert_eq!(t["counts"]["yes"], 3, "{t:#}");
    n.env.fsck(&n.hub);
}
