//! Review of joint statements: attacks on `tally`, `approve` and `verify` made with plain git.
//! Each test asserts the behaviour a voter or an auditor needs; see the notes on each.

use crate::harness::{add_member_args, commit_and_push, refused, rev};
use crate::vote_fixture::*;

/// A vote that fails, 2 yes against 2 no, approved after the deadline by m1 from a copy
/// where the two no ballots were missing; then the no ballots are back on their refs.
fn approved_without_the_no_ballots() -> Vote {
    let mut v = setup(4);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no"), ("m4", "no")]);
    let hidden: Vec<(String, String)> =
        ["m3", "m4"].iter().map(|m| (format!("refs/tribune/ballots/{SLUG}/{m}"), v.tip(m))).collect();
    for (r, _) in &hidden {
        v.env.git(&["-C", &v.c, "update-ref", "-d", r]).ok();
    }
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    v.approve("m1").ok();
    for (r, id) in &hidden {
        v.env.git(&["-C", &v.c, "update-ref", r, id]).ok();
    }
    v
}

/// SECURITY. `verify` recounts only the ballots the approver chose to make parents of the
/// tally commit. When the ballot refs are still here and hold valid ballots, cast before the
/// deadline, that the tag leaves out, the recount is not the vote: verify must say so.
#[test]
fn verify_reports_valid_ballots_on_the_refs_that_the_tag_left_out() {
    let v = approved_without_the_no_ballots();
    // The ballot refs, as everyone sees them, give 2 yes and 2 no: it fails.
    assert_eq!(v.counts(), (2, 2, 0));
    let r = v.verify();
    assert_eq!(r.code, 1, "verify accepted a tag that leaves out two valid no ballots:\n{}{}", r.stdout, r.stderr);
    let (m3, m4) = (v.tip("m3"), v.tip("m4"));
    let left_out = format!(
        "  - the tag leaves out valid ballots cast before it closed the vote (m3's {} (no), m4's {} (no)), and \
         counted they change the outcome: the statement does not pass",
        &m3[..10],
        &m4[..10]
    );
    assert!(r.stdout.lines().any(|l| l.starts_with(&left_out)), "{}", r.stdout);
    assert!(r.stderr.contains("1 of 1 statement failed verification"), "{}", r.stderr);
}

/// MESSAGE / WRONG RESULT. `tally` says APPROVED whenever a member signed the tag, even when
/// its own count of the same ballots fails the rule.
#[test]
fn tally_does_not_call_approved_a_statement_its_own_count_fails() {
    let v = approved_without_the_no_ballots();
    let t = v.tally();
    assert_eq!(t["outcome"]["passes"], false, "{t:#}");
    assert_ne!(t["result"], "approved", "tally says approved while its count fails: {t:#}");
}

/// SECURITY (double count). A tally commit that lists three ballots of the same member as
/// parents makes `verify` count that member three times.
#[test]
fn verify_counts_each_member_once_however_many_of_their_ballots_the_tally_commit_lists() {
    let mut v = setup(3);
    v.vote("m1", "yes").ok();
    let b1 = v.tip("m1");
    v.vote("m1", "yes").ok();
    let b2 = v.tip("m1");
    v.vote("m1", "yes").ok();
    let b3 = v.tip("m1");
    v.vote("m2", "no").ok();
    let n2 = v.tip("m2");
    // Honestly: 1 yes, 1 no: fails. The forged tag claims 3 yes, 1 no of 3 members.
    assert_eq!(v.counts(), (1, 1, 0));
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    let tally = v.tally_commit(&[&b1, &b2, &b3, &n2]);
    let msg = format!(
        "Statement {SLUG} approved\n\n{}",
        v.trailers(3, (3, 1, 0), "m1", &[("m1", &b3, "yes"), ("m2", &n2, "no")])
    );
    v.git_tag(&tally, &msg, v.key("m1"));
    let r = v.verify();
    assert_eq!(r.code, 1, "verify accepted 4 ballots from an electorate of 3:\n{}{}", r.stdout, r.stderr);
    // Two of m1's three ballots are left out, each named: m1 is counted once.
    let dropped: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  - the tally commit has two ballots of m1 as parents ("))
        .map(|l| l.strip_suffix(" is left out of the recount)").unwrap_or_else(|| panic!("{l}")))
        .collect();
    assert_eq!(dropped.len(), 2, "{}", r.stdout);
    assert_ne!(dropped[0], dropped[1], "{}", r.stdout);
    assert!(dropped.iter().all(|d| [&b1, &b2, &b3].iter().any(|b| b.starts_with(d))), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l == "  - the tag says 3 yes, the recount finds 1"), "{}", r.stdout);
}

/// CRASH / DENIAL OF SERVICE. A ballot ref that points at a blob (or a tag, or a tree) makes
/// `tally` and `statements` fail outright, so anyone who can push one ref stops every count.
#[test]
fn a_ballot_ref_that_is_not_a_commit_does_not_stop_the_tally() {
    let v = setup(3);
    v.vote("m1", "yes").ok();
    let blob = v.env.write("junk", "junk\n");
    let blob = v.env.git(&["-C", &v.c, "hash-object", "-w", &blob]).ok().stdout.trim().to_string();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m2"), &blob]).ok();
    let r = v.env.tribune(&["-C", &v.c, "tally", SLUG, "--json"]);
    assert_eq!(r.code, 0, "tally failed on a junk ref:\n{}", r.stderr);
    assert_eq!(v.counts(), (1, 0, 0));
    let r = v.env.tribune(&["-C", &v.c, "statements"]);
    assert_eq!(r.code, 0, "statements failed on a junk ref:\n{}", r.stderr);
}

/// CRASH. A ballot whose Tribune-Seq is u64::MAX makes the member's next `tribune vote`
/// overflow (a panic in debug builds, a wrap to seq 0 in release builds).
#[test]
fn voting_after_a_ballot_with_the_largest_sequence_number_does_not_panic() {
    let v = setup(2);
    v.git_ballot("m1", &v.message("m1", "no", "18446744073709551615"), Some(v.key("m1")), None);
    let r = v.vote("m1", "yes");
    r.fails(1, "already holds a ballot with the largest possible sequence number");
}

/// WRONG RESULT. The next sequence number is read from the ref's tip only. An unsigned commit
/// without Tribune-Seq put on top of a member's ref (by anyone who can push a ref) makes the
/// member's next ballot reuse seq 1, which conflicts with their own first ballot: both are
/// excluded, and the member's vote silently disappears.
#[test]
fn a_junk_commit_on_top_of_a_ballot_ref_does_not_cancel_the_members_next_vote() {
    let v = setup(3);
    v.vote("m1", "yes").ok();
    let first = v.tip("m1");
    let junk = format!("yes\n\nTribune-Statement: {SLUG}\nTribune-Proposal: {}\nTribune-Member: m1\n", v.proposal);
    v.git_ballot("m1", &junk, None, Some(&first));
    v.vote("m1", "no").ok();
    assert_eq!(v.counts(), (0, 1, 0), "{:#}", v.tally()["ballots"]);
}

/// SECURITY. A signed tag with no tagger line: `verify` takes its time as "never"
/// (i64::MAX), so an approval made before the deadline skips the check that the outcome was
/// already decided; meanwhile the tag closes the vote.
#[test]
fn a_tag_without_a_tagger_does_not_skip_the_early_approval_check() {
    let v = setup(4);
    v.cast(&[("m1", "yes"), ("m2", "yes")]);
    let (y1, y2) = (v.tip("m1"), v.tip("m2"));
    // 2 yes of 4 before the deadline: m3 and m4 voting no would make it fail.
    let t = v.tally();
    assert_eq!(t["decided"], serde_json::Value::Null, "{t:#}");
    refused_approve(&v);
    let tally = v.tally_commit(&[&y1, &y2]);
    let payload = format!(
        "object {tally}\ntype commit\ntag statements/{SLUG}\n\nStatement {SLUG} approved\n\n{}",
        v.trailers(4, (2, 0, 0), "m1", &[("m1", &y1, "yes"), ("m2", &y2, "yes")])
    );
    let file = v.env.write("payload", &payload);
    let out = std::process::Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "git", "-f", v.key("m1"), &file])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sig = std::fs::read_to_string(format!("{file}.sig")).unwrap();
    let tag_file = v.env.write("tag", format!("{payload}{sig}"));
    let tag = v
        .env
        .git(&["-C", &v.c, "hash-object", "-t", "tag", "-w", "--literally", &tag_file])
        .ok()
        .stdout
        .trim()
        .to_string();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tags/statements/{SLUG}"), &tag]).ok();
    let r = v.verify();
    assert_eq!(r.code, 1, "verify accepted an undated early approval:\n{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "FAILED statements/{SLUG}:\n  - the tag has no tagger line, so no approval time: it cannot close a vote\n"
        )
    );
}

fn refused_approve(v: &Vote) {
    v.approve("m1").fails(1, "not decided");
}

/// SECURITY (denial of the vote). Any ref at refs/tags/statements/<slug> makes `vote` refuse
/// ("voting is closed"), though `tally` rightly says an unsigned tag is no approval and the
/// vote is open. Anyone who can push a lightweight tag ends the vote.
#[test]
fn a_lightweight_tag_does_not_close_the_vote() {
    let v = setup(3);
    v.env.git(&["-C", &v.c, "tag", &format!("statements/{SLUG}"), &v.proposal]).ok();
    assert_eq!(v.tally()["result"], "open");
    let r = v.vote("m1", "yes");
    assert_eq!(r.code, 0, "vote refused while tally says the vote is open:\n{}", r.stderr);
    assert_eq!(v.counts(), (1, 0, 0));
}

/// MISLEADING. `verify` checks only the trailers, not the readable part of the tag message
/// that `git tag -v` shows first: an approver can state other figures there.
#[test]
fn verify_rejects_a_tag_whose_readable_summary_states_other_figures() {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no")]);
    v.approve("m1").ok();
    v.verify().ok();
    let raw = v.env.git(&["-C", &v.c, "cat-file", "tag", &format!("statements/{SLUG}")]).ok().stdout;
    let body = raw.split_once("\n\n").unwrap().1;
    let message = &body[..body.find("-----BEGIN SSH SIGNATURE-----").unwrap()];
    let forged = message.replace("2 yes, 1 no, 0 abstain", "3 yes, 0 no, 0 abstain");
    assert_ne!(forged, message);
    let target = rev(&v.env, &v.c, &format!("statements/{SLUG}^{{commit}}"));
    v.git_tag(&target, &forged, v.key("m1"));
    let r = v.verify();
    assert_eq!(r.code, 1, "verify accepted a tag whose text says 3 yes, 0 no:\n{}", r.stdout);
    // For that reason alone: the tag is signed by the approver, after the votes.
    let problems: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(
        problems,
        ["  - the tag's message is not the one its recount gives, from line 3: it says \"3 yes, 0 no, 0 abstain; \
             3 of 3 members voted.\", the recount \"2 yes, 1 no, 0 abstain; 3 of 3 members voted.\""],
        "{}",
        r.stdout
    );
}

/// SECURITY. `approve` takes "now" from GIT_COMMITTER_DATE: dating the tag after the deadline
/// approves an undecided vote early (no "decided" check) and closes it. A tag dated after the
/// time `verify` runs is demonstrably false, and verify should say so.
#[test]
fn verify_rejects_an_approval_dated_in_the_future() {
    let mut v = setup(4);
    v.cast(&[("m1", "yes"), ("m2", "yes")]);
    refused_approve(&v);
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    v.approve("m1").ok();
    v.env.vars.clear();
    // It is still 2026-11-21: a tag dated in the future does not close the vote.
    let r = v.vote("m3", "no").ok();
    assert!(r.stderr.contains("does not close the vote"), "{}", r.stderr);
    let now = v.env.now();
    let r = v.verify();
    assert_eq!(r.code, 1, "verify accepted a tag dated in the future:\n{}", r.stdout);
    assert_eq!(
        r.stdout,
        format!(
            "FAILED statements/{SLUG}:\n  - the tag is dated {LATE}, in the future (it is now {now}): an approval \
             cannot close a vote early by claiming a later time\n"
        )
    );
}

/// WRONG RESULT. The proposal is looked for along the trunk's first parents only. After an
/// ordinary merge whose first parent is a side line (what `git pull` makes when someone had a
/// local commit), the merge becomes "the proposal": every ballot is excluded and the approved
/// statement fails verify, though the text, the roster and the ballots are all unchanged.
#[test]
fn a_plain_git_merge_on_the_trunk_keeps_the_proposal_and_its_ballots() {
    let v = approved(3);
    v.verify().ok();
    let w = v.git_clone();
    v.env.git(&["-C", &w, "checkout", "-q", "-b", "side", &format!("{}~1", v.proposal)]).ok();
    v.env.write("w/NOTES.txt", "a note\n");
    v.env.git(&["-C", &w, "add", "NOTES.txt"]).ok();
    v.env.git(&["-C", &w, "commit", "-qm", "a local note"]).ok();
    v.env.git(&["-C", &w, "merge", "-q", "--no-ff", "-m", "Merge branch 'main'", "origin/main"]).ok();
    v.env.git(&["-C", &w, "push", "-q", "origin", "side:main"]).ok();
    assert_eq!(v.tally()["proposal"], v.proposal.as_str());
    assert_eq!(v.counts(), (3, 0, 0));
    let r = v.verify();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// EXIT CODE / MESSAGE. `tribune verify` with no argument stops at the first tag under
/// refs/tags/statements/ whose name is not a valid slug, and verifies none of the others.
#[test]
fn verify_of_every_tag_reports_a_badly_named_one_and_checks_the_rest() {
    let v = approved(3);
    v.env.git(&["-C", &v.c, "tag", "statements/Bad", &v.proposal]).ok();
    let r = v.env.tribune(&["-C", &v.c, "verify"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&format!("verified statements/{SLUG}")), "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(
            "FAILED statements/Bad:\n  - no statement can have this name: the statement \"Bad\" is not valid: \
             upper-case letters are not allowed\n"
        ),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
    assert!(r.stderr.contains("1 of 2 statements failed verification"), "{}", r.stderr);
}

/// WRONG RESULT. A malformed member file added to the roster after the proposal makes
/// `verify` (and `tally`) of an approved statement fail with a parse error, though the
/// electorate is the roster at the proposal; the roster now is only read for a message.
#[test]
fn a_malformed_member_file_added_later_does_not_break_verify() {
    let v = approved(3);
    let w = v.git_clone();
    v.env.write("w/roster/members/zz.toml", "this is = = not toml\n");
    commit_and_push(&v.env, &w, "main", "broken member");
    let r = v.verify();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = v.env.tribune(&["-C", &v.c, "tally", SLUG]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// SECURITY. One public key registered to two members: the key ring gives it to the member
/// whose id sorts first, so the real owner's ballots are excluded as "signed with a0's key"
/// and the key's holder votes as a0. `roster add-member` should refuse a key that is already
/// another member's.
#[test]
fn a_key_already_registered_to_another_member_is_refused() {
    let v = setup(2);
    let args = add_member_args(&v.c, ["a0", "abc", "a0", "a0@example.org"], &["--public-key", v.public("m1")]);
    refused(&v.env, &v.c, &args, 1, &["that key already belongs to member \"m1\"", "hint:"]);
}

/// When the shared key slips in with plain git, the later entry is invalid (its key is
/// already m1's): it is not in the electorate, so m1's own ballot counts, and audit names
/// the entry.
#[test]
fn an_entry_with_another_members_key_is_left_out_and_the_owners_ballot_counts() {
    let v = setup(2);
    let w = v.git_clone();
    let m1 = std::fs::read_to_string(format!("{w}/roster/members/m1.toml")).unwrap();
    v.env.write("w/roster/members/a0.toml", m1.replace("m1@example.org", "a0@example.org"));
    commit_and_push(&v.env, &w, "main", "a0 with m1's key");
    // A new proposal, so that a0 is in the electorate.
    let file = v.env.write("s2.md", "+++\ntitle = \"Second\"\n+++\nText.\n");
    v.env.tribune(&["-C", &v.c, "propose", &file, "--slug", "second", "--deadline", DEADLINE]).ok();
    v.env.tribune(&["-C", &v.c, "vote", "second", "yes", "--as", "m1", "--key", v.key("m1")]).ok();
    let r = v.env.tribune(&["-C", &v.c, "tally", "second", "--json"]).ok();
    let t: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(t["ballots"].as_array().unwrap().len(), 1, "{t:#}");
    let b = &t["ballots"][0];
    assert_eq!((&b["member"], &b["status"]), (&"m1".into(), &"counted".into()), "{b}");
    assert_eq!(t["counts"]["electorate"], 2, "a0 is not in the electorate: {t:#}");
    let r = v.env.tribune(&["-C", &v.c, "audit", "--json"]);
    assert_eq!(r.code, 1);
    let f = &r.json()["findings"][0];
    assert_eq!((&f["finding"], &f["path"]), (&"invalid-entry".into(), &"roster/members/a0.toml".into()), "{f}");
    assert_eq!(f["reason"], "a key of the entry already belongs to m1");
}

/// DENIAL OF SERVICE. A tag at refs/tags/statements/<slug> that is not UTF-8 makes `tally`
/// (and `statements`, `verify`) fail outright instead of reporting a tag that is no approval.
#[test]
fn a_tag_that_is_not_utf8_does_not_stop_the_tally() {
    let v = setup(3);
    v.vote("m1", "yes").ok();
    let mut bytes = format!(
        "object {}\ntype commit\ntag statements/{SLUG}\ntagger X <x@example.org> 1795000000 +0000\n\n",
        v.proposal
    )
    .into_bytes();
    bytes.extend_from_slice(b"approved \xff\n");
    let file = v.env.write("tag", bytes);
    let tag =
        v.env.git(&["-C", &v.c, "hash-object", "-t", "tag", "-w", "--literally", &file]).ok().stdout.trim().to_string();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tags/statements/{SLUG}"), &tag]).ok();
    let r = v.env.tribune(&["-C", &v.c, "tally", SLUG]);
    assert_eq!(r.code, 0, "tally failed on a non-UTF-8 tag:\n{}", r.stderr);
    let r = v.verify();
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "FAILED statements/{SLUG}:\n  - the tag is for the statement \"\", not \"{SLUG}\"\n  - the tag names no \
             proposal commit that exists here\n"
        ),
        "verify should report the tag, not abort:\n{}",
        r.stderr
    );
}

/// WRONG RESULT / MESSAGE. A ballot whose message has CRLF line ends (git reads its trailers:
/// `git interpret-trailers --parse` lists them) is excluded as "not a ballot: the commit has
/// no Tribune-Statement trailer", because the paragraph split looks for "\n\n" only.
#[test]
fn a_signed_ballot_with_crlf_line_ends_counts() {
    let v = setup(3);
    let message = v.message("m1", "no", "1").replace('\n', "\r\n");
    let id = v.git_ballot("m1", &message, Some(v.key("m1")), None);
    let t = v.tally();
    let b = t["ballots"].as_array().unwrap().iter().find(|b| b["commit"] == id.as_str()).unwrap().clone();
    assert_eq!(b["status"], "counted", "{b}");
    assert_eq!(v.counts(), (0, 1, 0));
}
