//! Issue 12's defects of statements: late ballots, ballots dated in the future, ballots
//! buried under someone else's commits, and a statement file removed and added again.

use crate::harness::{rfc3339, seconds, signed_commit};
use crate::vote_fixture::{approved, setup, SLUG};

/// Signs a ballot with plain git on top of `member`'s current tip, now, without publishing
/// it (as on another clone); returns its id, for [`publish`].
fn sign_elsewhere(v: &crate::vote_fixture::Vote, member: &str, choice: &str, seq: u32) -> String {
    let parent = v.tip(member);
    let key = v.key(member).to_string();
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    signed_commit(&v.env, &v.c, &key, &tree, &[&parent], &v.message(member, choice, seq))
}

/// Puts `commit` on `member`'s ballot ref: the ballot arrives.
fn publish(v: &crate::vote_fixture::Vote, member: &str, commit: &str) {
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/{member}"), commit]).ok();
}

#[test]
fn a_ballot_pushed_after_the_approval_that_cannot_change_it_leaves_the_approval_valid() {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes")]);
    // m3 votes before the approval, on another clone...
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    let key = v.key("m3").to_string();
    let id = signed_commit(&v.env, &v.c, &key, &tree, &[], &v.message("m3", "no", 1));
    // ...two of three in favour: decided whatever m3 does, so it can be approved early...
    v.approve("m1").ok();
    // ...and m3's ballot arrives only now.
    publish(&v, "m3", &id);
    let r = v.verify().ok();
    assert!(r.stdout.contains("verified"), "{}", r.stdout);
    assert!(
        r.stdout.contains("leaves out valid ballots") && r.stdout.contains("do not change the outcome"),
        "{}",
        r.stdout
    );
    let j: serde_json::Value =
        serde_json::from_str(&v.env.tribune(&["-C", &v.c, "verify", SLUG, "--json"]).ok().stdout).unwrap();
    assert_eq!(j[0]["problems"].as_array().unwrap().len(), 0, "{j}");
    assert_eq!(j[0]["notes"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(v.tally()["result"], "approved");
}

#[test]
fn a_hidden_change_of_vote_that_would_sink_the_statement_voids_the_approval() {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no")]);
    // m2 changes their vote before the approval (on another clone); the approver leaves it out.
    let change = sign_elsewhere(&v, "m2", "no", 2);
    v.approve("m1").ok();
    publish(&v, "m2", &change);
    let r = v.verify();
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("change the outcome") && r.stdout.contains("does not pass"), "{}", r.stdout);
}

#[test]
fn a_commit_stacked_on_a_members_ballot_ref_does_not_hide_their_ballot() {
    let v = setup(3);
    v.vote("m1", "yes").ok();
    let ballot = v.tip("m1");
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    // Seventy commits that are not ballots, stacked with plain git.
    let mut junk = ballot.clone();
    for i in 0..70 {
        let msg = format!("junk {i}");
        junk = v.env.git(&["-C", &v.c, "commit-tree", &tree, "-p", &junk, "-m", &msg]).ok().stdout.trim().to_string();
    }
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m1"), &junk]).ok();
    let t = v.tally();
    let counted: Vec<&serde_json::Value> =
        t["ballots"].as_array().unwrap().iter().filter(|b| b["status"] == "counted").collect();
    assert_eq!(counted.len(), 1, "{t:#}");
    assert_eq!(counted[0]["commit"], ballot.as_str());
    assert_eq!(v.counts(), (1, 0, 0));
    let named: Vec<&serde_json::Value> =
        t["ballots"].as_array().unwrap().iter().filter(|b| b["status"] == "excluded").collect();
    assert_eq!(named.len(), 1, "{t:#}");
    assert!(named[0]["reason"].as_str().unwrap().contains("70 commits"), "{t:#}");
}

#[test]
fn tally_and_approve_agree_on_a_ballot_dated_in_the_future() {
    let mut v = setup(3);
    v.cast(&[("m2", "yes"), ("m3", "yes")]);
    // m1's ballot claims to be cast an hour from now.
    let hour_ahead = rfc3339(seconds(&v.env.now()) + 3600);
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), hour_ahead));
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    let key = v.key("m1").to_string();
    let future = signed_commit(&v.env, &v.c, &key, &tree, &[], &v.message("m1", "no", 1));
    v.env.vars.clear();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m1"), &future]).ok();
    // tally, now: not counted, and it says why.
    assert!(v.reason(&future).contains("in the future"), "{}", v.reason(&future));
    assert_eq!(v.counts(), (2, 0, 0));
    // approve, now: the same ballots, the same counts in the tag.
    let r = v.env.tribune(&["-C", &v.c, "approve", SLUG, "--as", "m2", "--key", v.key("m2"), "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((j["counts"]["yes"].as_u64(), j["counts"]["no"].as_u64()), (Some(2), Some(0)), "{j}");
    v.verify().ok();
}

#[test]
fn a_statement_removed_and_added_again_unchanged_stays_approved() {
    let v = approved(3);
    let w = v.git_clone();
    let path = format!("statements/{SLUG}/index.md");
    let text = std::fs::read(format!("{w}/{path}")).unwrap();
    v.env.git(&["-C", &w, "rm", "-q", &path]).ok();
    v.env.git(&["-C", &w, "commit", "-qm", "remove the statement"]).ok();
    std::fs::create_dir_all(format!("{w}/statements/{SLUG}")).unwrap();
    std::fs::write(format!("{w}/{path}"), text).unwrap();
    v.env.git(&["-C", &w, "add", &path]).ok();
    v.env.git(&["-C", &w, "commit", "-qm", "add it again"]).ok();
    v.env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let r = v.verify().ok();
    assert!(r.stdout.contains("verified"), "{}", r.stdout);
    let t = v.tally();
    assert_eq!(t["result"], "approved", "{t:#}");
    assert_eq!(t["proposal"], v.proposal.as_str());
    assert_eq!(v.counts(), (3, 0, 0));
}

#[test]
fn after_the_approval_tally_shows_the_tags_count_whatever_the_refs_hold_since() {
    let v = approved(3);
    assert_eq!(v.counts(), (3, 0, 0));
    // Someone clobbers two ballot refs after the approval.
    for m in ["m2", "m3"] {
        v.env.git(&["-C", &v.c, "update-ref", "-d", &format!("refs/tribune/ballots/{SLUG}/{m}")]).ok();
    }
    let t = v.tally();
    assert_eq!(t["result"], "approved", "{t:#}");
    assert_eq!(v.counts(), (3, 0, 0), "the tag's recount, not the refs now");
    v.verify().ok();
}

#[test]
fn a_key_path_that_is_a_fifo_is_refused_without_hanging() {
    let v = setup(3);
    let fifo = v.env.path("fifo").to_string_lossy().into_owned();
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let r = v.env.tribune(&["-C", &v.c, "vote", SLUG, "yes", "--as", "m1", "--key", &fifo]);
    r.fails(1, "not a regular file");
}

#[test]
fn a_forged_commit_with_a_huge_sequence_number_does_not_stop_a_member_voting() {
    let v = setup(3);
    v.vote("m2", "yes").ok();
    let tip = v.tip("m2");
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    let junk = v
        .env
        .git(&[
            "-C",
            &v.c,
            "commit-tree",
            &tree,
            "-p",
            &tip,
            "-m",
            "junk\n\nTribune-Statement: x\nTribune-Seq: 18446744073709551615",
        ])
        .ok()
        .stdout
        .trim()
        .to_string();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m2"), &junk]).ok();
    let r = v.vote("m2", "no").ok();
    assert!(r.stdout.contains("(seq 2)"), "{}", r.stdout);
    assert_eq!(v.counts(), (0, 1, 0));
}

#[test]
fn counted_ballots_that_fall_into_a_sequence_conflict_after_the_approval_void_it_when_they_change_it() {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    // m2 and m3 each sign a second seq-1 ballot (no) on another clone before the approval...
    let tree = v.env.git(&["-C", &v.c, "mktree"]).ok().stdout.trim().to_string();
    let others: Vec<(&str, String)> = ["m2", "m3"]
        .into_iter()
        .map(|m| (m, signed_commit(&v.env, &v.c, v.key(m), &tree, &[], &v.message(m, "no", 1))))
        .collect();
    v.approve("m1").ok();
    // ...and both meet their counted ballots only after it.
    for (m, other) in others {
        let tip = v.tip(m);
        let merged = v.env.git(&["-C", &v.c, "commit-tree", &tree, "-p", &tip, "-p", &other, "-m", "x"]).ok().stdout;
        publish(&v, m, merged.trim());
    }
    let r = v.verify();
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("seq conflict") && r.stdout.contains("does not pass"), "{}", r.stdout);
}
