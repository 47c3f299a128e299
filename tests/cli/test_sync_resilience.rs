//! Sync in the face of what one writer or one clone does (issue 12): two syncs at once in
//! one clone both succeed.

use crate::sync_fixture::*;

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
