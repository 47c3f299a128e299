//! `synth --founded N --voters V` (the governance benchmark's commons): founded, its audit
//! clean, and the voters admitted after the members, so that the voter the benchmark votes as
//! is an authorised member whose key signs, and the electorate is the whole roster.

use crate::harness::*;

#[test]
fn synth_founded_with_voters_makes_a_commons_whose_voters_and_members_can_act() {
    let env = Env::new();
    let dir = env.path("synth").display().to_string();
    let args = [
        "synth",
        &dir,
        "--articles",
        "40",
        "--contingents",
        "3",
        "--batch",
        "20",
        "--single",
        "5",
        "--long-words",
        "0",
        "--founded",
        "6",
        "--voters",
        "4",
    ];
    env.tribune(&args).ok();

    let audit = env.tribune(&["-C", &dir, "audit", "--json"]).ok().json();
    let root = audit["root"].as_str().expect("a root of authority");
    assert_eq!(audit["findings"], serde_json::json!([]), "{audit}");
    assert_eq!(env.tribune(&["-C", &dir, "roster", "--json"]).ok().json()["root"], root);

    // The electorate: 9 founders, 6 admitted, 4 voters, every one with a key.
    let tally = env.tribune(&["-C", &dir, "tally", "synthetic-statement", "--json"]).ok().json();
    assert_eq!(tally["electorate"], 19, "{tally}");
    assert_eq!(tally["keyless"], serde_json::json!([]), "{tally}");
    assert_eq!(tally["counts"]["yes"].as_u64().unwrap() + tally["counts"]["no"].as_u64().unwrap(), 4, "{tally}");

    let voter_key = format!("{dir}/tribune/synth-voter-key");
    let r = env.tribune(&["-C", &dir, "vote", "synthetic-statement", "no", "--as", "v00000", "--key", &voter_key]).ok();
    assert!(r.stdout.contains("Voted no on synthetic-statement as v00000"), "{}", r.stdout);
    let tally = env.tribune(&["-C", &dir, "tally", "synthetic-statement", "--json"]).ok().json();
    // v00002 voted no (one in three), and v00000 now does too.
    assert_eq!((tally["counts"]["yes"].as_u64(), tally["counts"]["no"].as_u64()), (Some(2), Some(2)), "{tally}");

    // m001-0's key (synth-member-key) contributes in c001's name; unsigned, refused.
    let file = env.write("a.md", article("Bench contribution", "c001", "", "A short body.\n"));
    env.tribune(&["-C", &dir, "contribute", &file]).fails(1, "only a member of c001");
    let member_key = format!("{dir}/tribune/synth-member-key");
    env.tribune(&["-C", &dir, "contribute", &file, "--key", &member_key]).ok();
    let audit = env.tribune(&["-C", &dir, "audit", "--json"]).ok().json();
    assert_eq!(audit["findings"], serde_json::json!([]), "{audit}");
}

/// Everything synth writes is in its one pack, whole: plain git finds every object of every
/// ref it made (trunk, editions, ratings, ballots), and the pack holds no loose leftovers.
#[test]
fn synth_packs_every_object_its_refs_reach() {
    let env = Env::new();
    let dir = env.path("synth").display().to_string();
    let args = [
        "synth",
        &dir,
        "--articles",
        "60",
        "--contingents",
        "4",
        "--batch",
        "20",
        "--single",
        "5",
        "--editions",
        "3",
        "--rewrites",
        "10",
        "--raters",
        "5",
        "--ratings",
        "8",
        "--voters",
        "3",
    ];
    env.tribune(&args).ok();
    env.git(&["-C", &dir, "fsck", "--strict", "--no-dangling"]).ok();
    let refs = env.git(&["-C", &dir, "for-each-ref", "--format=%(refname)"]).ok().stdout;
    for kind in ["refs/heads/contingents/", "refs/notes/tribune/ratings/", "refs/tribune/ballots/"] {
        assert!(refs.lines().any(|r| r.starts_with(kind)), "no {kind} in:\n{refs}");
    }
    // Every object reachable from every ref is packed (only the commons' first commit, made
    // before synth starts packing, is loose).
    let loose = env.git(&["-C", &dir, "count-objects", "-v"]).ok().stdout;
    let count: u64 = loose.lines().find_map(|l| l.strip_prefix("count: ")).unwrap().parse().unwrap();
    assert!(count <= 3, "{loose}");
    let listed = env.git(&["-C", &dir, "rev-list", "--objects", "--all"]).ok().stdout.lines().count();
    let in_pack: usize = loose.lines().find_map(|l| l.strip_prefix("in-pack: ")).unwrap().parse().unwrap();
    assert!(in_pack + count as usize >= listed, "{in_pack} packed + {count} loose < {listed} reachable");
}
