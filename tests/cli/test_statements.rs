//! Joint statements: proposals, signed ballots, the exact tally, approval tags, and every
//! attack the tally and `verify` must catch, checked against what plain git sees.

use crate::harness::{add_keyed_member, commons, git_with_signers, keypair, refused, rev, rfc3339, seconds, Env};
use crate::vote_fixture::*;

/// Adds a member with a fresh key; returns the private key's path.
fn member(env: &Env, c: &str, id: &str, contingent: &str) -> String {
    let (key, public) = keypair(env, id);
    add_keyed_member(env, c, id, contingent, &public).ok();
    key
}

#[test]
fn a_vote_from_proposal_to_a_signed_tag_that_plain_git_verifies() {
    let v = setup(3);
    let (env, c) = (&v.env, &v.c);
    // The proposal is a trunk commit with the whole rule written into the text.
    let text = env.git(&["-C", c, "show", &format!("main:statements/{SLUG}/index.md")]).ok().stdout;
    for field in ["deadline = 2026-12-01T00:00:00Z", "threshold = \"2/3\"", "basis = \"cast\"", "quorum = \"1/2\""] {
        assert!(text.contains(field), "{field} missing:\n{text}");
    }
    let r = v.vote("m1", "yes").ok();
    assert!(r.stdout.contains("seq 1"), "{}", r.stdout);
    v.cast(&[("m2", "yes"), ("m3", "no")]);
    // Ballots are signed commits plain git verifies with tribune's allowed-signers file.
    let signers = v.allowed_signers();
    let ballot = format!("refs/tribune/ballots/{SLUG}/m1");
    let g = git_with_signers(env, c, &signers, &["verify-commit", &ballot]);
    assert_eq!(g.code, 0, "{}", g.stderr);
    assert!(g.stderr.contains("Good \"git\" signature for m1@example.org"), "{}", g.stderr);
    let log = env.git(&["-C", c, "log", "--format=%B", &ballot]).ok().stdout;
    assert!(log.starts_with("yes\n"), "{log}");
    assert!(log.contains(&format!("Tribune-Proposal: {}", v.proposal)), "{log}");
    assert!(log.contains(&format!("Tribune-Text: {}", v.text)), "{log}");
    assert!(log.contains("Tribune-Seq: 1"), "{log}");
    // Everyone voted: 2 yes × 3 = 6 ≥ 2 × 3 = 6, decided, so it can be approved before the deadline.
    let t = v.tally();
    assert_eq!(t["counts"]["yes"], 2);
    assert_eq!(t["counts"]["no"], 1);
    assert_eq!(t["result"], "open");
    assert_eq!(t["decided"], true);
    let human = env.tribune(&["-C", c, "tally", SLUG]).ok().stdout;
    assert!(human.contains("2 yes × 3 = 6 ≥ 2 × 3 = 6"), "{human}");
    assert!(human.contains("already decided: it passes with every member's vote in"), "{human}");
    assert!(human.contains("Electorate: 3 members (the roster at the proposal); turnout 3 of 3."), "{human}");
    let a = v.approve("m1").ok();
    assert!(a.stdout.contains("signed by m1"), "{}", a.stdout);
    let g = git_with_signers(env, c, &signers, &["tag", "-v", &format!("statements/{SLUG}")]);
    assert_eq!(g.code, 0, "{}", g.stderr);
    assert!(g.stderr.contains("Good \"git\" signature for m1@example.org"), "{}", g.stderr);
    assert!(g.stdout.contains("Tribune-Yes: 2") && g.stdout.contains("Tribune-No: 1"), "{}", g.stdout);
    let ver = env.tribune(&["-C", c, "verify"]).ok();
    assert!(ver.stdout.contains("verified statements/for-the-rent-strike"), "{}", ver.stdout);
    let list = env.tribune(&["-C", c, "statements", "--json"]).ok();
    let l: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(l[0]["status"], "approved");
    assert_eq!(v.tally()["result"], "approved");
    // Approval closes the vote.
    refused(env, c, &["-C", c, "vote", SLUG, "yes", "--as", "m3", "--key", v.key("m3")], 1, &["voting is closed"]);
    env.fsck(c);
}

#[test]
fn the_recount_survives_deleted_refs_and_gc() {
    let v = setup(3);
    let (env, c) = (&v.env, &v.c);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    v.approve("m2").ok();
    for m in ["m1", "m2", "m3"] {
        env.git(&["-C", c, "update-ref", "-d", &format!("refs/tribune/ballots/{SLUG}/{m}")]).ok();
    }
    env.git(&["-C", c, "reflog", "expire", "--expire=now", "--all"]).ok();
    env.git(&["-C", c, "gc", "--prune=now", "--quiet"]).ok();
    let ver = env.tribune(&["-C", c, "verify", SLUG]).ok();
    assert!(ver.stdout.contains("3 yes, 0 no, 0 abstain of 3"), "{}", ver.stdout);
    env.fsck(c);
}

#[test]
fn voting_again_replaces_the_earlier_ballot_which_stays_in_history() {
    let v = setup(3);
    v.vote("m1", "no").ok();
    let r = v
        .env
        .tribune(&[
            "-C",
            &v.c,
            "vote",
            SLUG,
            "yes",
            "--as",
            "m1",
            "--key",
            v.key("m1"),
            "--comment",
            "Persuaded: the tenants asked us",
        ])
        .ok();
    assert!(r.stdout.contains("seq 2") && r.stdout.contains("replaces your earlier ballot, no"), "{}", r.stdout);
    assert_eq!(v.counts(), (1, 0, 0));
    let t = v.tally();
    let ballots = t["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 2);
    assert_eq!(ballots[0]["status"], "counted");
    assert_eq!(ballots[0]["comment"], "Persuaded: the tenants asked us");
    assert_eq!(ballots[1]["status"], "superseded");
    let log = v.env.git(&["-C", &v.c, "log", "--format=%s", &format!("refs/tribune/ballots/{SLUG}/m1")]).ok();
    assert_eq!(log.stdout, "yes\nno\n");
    let all = v.env.tribune(&["-C", &v.c, "tally", SLUG, "--all"]).ok().stdout;
    assert!(all.contains("replaced by a later ballot"), "{all}");
    let plain = v.env.tribune(&["-C", &v.c, "tally", SLUG]).ok().stdout;
    assert!(!plain.contains("replaced by a later ballot"), "{plain}");
}

#[test]
fn a_ballot_whose_comment_holds_a_markdown_rule_still_counts() {
    // git's trailer parser (and libgit2's) ends a message at a `---` line; tribune's reads
    // the last paragraph, so this ballot keeps its trailers (src/git/mod.rs, `trailers`).
    let v = setup(1);
    let comment = "Agreed.\n---\nOne reservation: name the company.";
    v.env.tribune(&["-C", &v.c, "vote", SLUG, "yes", "--as", "m1", "--key", v.key("m1"), "--comment", comment]).ok();
    assert_eq!(v.counts(), (1, 0, 0));
    let t = v.tally();
    assert_eq!(t["ballots"][0]["status"], "counted");
    assert_eq!(t["ballots"][0]["comment"], comment);
    v.env.tribune(&["-C", &v.c, "approve", SLUG, "--as", "m1", "--key", v.key("m1")]).ok();
    let ver = v.verify().ok();
    assert!(ver.stdout.contains("1 yes, 0 no, 0 abstain of 1"), "{}", ver.stdout);
}

#[test]
fn ballots_that_could_not_count_are_refused_and_write_nothing() {
    let v = setup(2);
    let (env, c) = (&v.env, &v.c);
    let k1 = v.key("m1").to_string();
    let k2 = v.key("m2").to_string();
    // Someone else's key; no key at all; a non-member; a member who joined after the proposal.
    refused(env, c, &["-C", c, "vote", SLUG, "yes", "--as", "m1", "--key", &k2], 1, &["not one of m1's keys"]);
    refused(env, c, &["-C", c, "vote", SLUG, "yes", "--as", "m1"], 1, &["must be signed", "--key"]);
    refused(env, c, &["-C", c, "vote", SLUG, "yes", "--as", "nobody", "--key", &k1], 1, &["not in the roster when"]);
    let k9 = member(env, c, "m9", "abc");
    refused(
        env,
        c,
        &["-C", c, "vote", SLUG, "yes", "--as", "m9", "--key", &k9],
        1,
        &["joined the roster after the proposal"],
    );
    refused(
        env,
        c,
        &["-C", c, "vote", "no-such-statement", "yes", "--as", "m1", "--key", &k1],
        1,
        &["no statement \"no-such-statement\"", SLUG],
    );
    refused(env, c, &["-C", c, "vote", SLUG, "maybe", "--as", "m1", "--key", &k1], 2, &["maybe"]);
}

#[test]
fn a_ballot_after_the_deadline_or_on_a_changed_text_is_refused() {
    let mut v = setup(2);
    let c = v.c.clone();
    let k1 = v.key("m1").to_string();
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    refused(
        &v.env,
        &c,
        &["-C", &c, "vote", SLUG, "yes", "--as", "m1", "--key", &k1],
        1,
        &["closed at 2026-12-01T00:00:00Z"],
    );
    v.env.vars.clear();
    // Someone changes the statement's text on the trunk with plain git after the proposal.
    amend_with_git(&v.env, &c, "We support the landlord.\n");
    refused(
        &v.env,
        &c,
        &["-C", &c, "vote", SLUG, "yes", "--as", "m1", "--key", &k1],
        1,
        &["not the text that was proposed", "propose the changed text as a new statement"],
    );
    let t = v.env.tribune(&["-C", &c, "tally", SLUG]).ok();
    assert!(t.stdout.contains("was changed after the proposal"), "{}", t.stdout);
}

#[test]
fn bad_proposals_are_refused_and_write_nothing() {
    let (env, c) = commons();
    let file = env.write("s.md", "+++\ntitle = \"A statement\"\n+++\nText.\n");
    let r = refused(&env, &c, &["-C", &c, "propose", &file, "--threshold", "66.667%"], 2, &["66.667%", "2/3"]);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    refused(&env, &c, &["-C", &c, "propose", &file, "--threshold", "3/2"], 2, &["3/2"]);
    refused(&env, &c, &["-C", &c, "propose", &file, "--basis", "everyone"], 2, &["everyone"]);
    refused(&env, &c, &["-C", &c, "propose", &file, "--deadline", "2026-11-01T00:00:00Z"], 1, &["already passed"]);
    refused(&env, &c, &["-C", &c, "propose", &file, "--deadline", "next week"], 2, &["not a time", "RFC 3339"]);
    let bad = env.write("bad.md", "+++\ntitle = \"T\"\nquorum = \"half\"\n+++\nText.\n");
    refused(&env, &c, &["-C", &c, "propose", &bad], 1, &["bad.md:3:", "quorum"]);
    let untitled = env.write("untitled.md", "Just text.\n");
    refused(&env, &c, &["-C", &c, "propose", &untitled], 1, &["title"]);
    env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE]).ok();
    refused(&env, &c, &["-C", &c, "propose", &file, "--deadline", DEADLINE], 1, &["already been proposed"]);
    // Without --deadline the vote runs seven days; the defaults come from tribune.toml.
    let other = env.write("o.md", "+++\ntitle = \"Another\"\n+++\nText.\n");
    let r = env.tribune(&["-C", &c, "propose", &other, "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["deadline"], rfc3339(seconds(&env.last()) + 7 * 24 * 3600).as_str(), "seven days after the proposal");
    assert_eq!(j["rule"]["threshold"]["p"], 2);
    env.fsck(&c);
}

#[test]
fn ballots_made_with_plain_git_count_and_forged_ones_are_excluded_with_the_reason() {
    let v = setup(4);
    let (stranger, _) = keypair(&v.env, "stranger");
    // Interop: a ballot signed by `git commit-tree -S` (git's own ssh-keygen) counts.
    let good = v.git_ballot("m1", &v.message("m1", "yes", 1), Some(v.key("m1")), None);
    let unsigned = v.git_ballot("m2", &v.message("m2", "yes", 1), None, None);
    let stolen = v.git_ballot("m3", &v.message("m3", "yes", 1), Some(v.key("m4")), None);
    let strange = v.git_ballot("m4", &v.message("m4", "yes", 1), Some(&stranger), None);
    assert_eq!(v.counts(), (1, 0, 0));
    let t = v.tally();
    let counted: Vec<&serde_json::Value> =
        t["ballots"].as_array().unwrap().iter().filter(|b| b["status"] == "counted").collect();
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0]["commit"], good.as_str());
    assert_eq!(v.reason(&unsigned), "unsigned");
    assert_eq!(v.reason(&stolen), "signed with m4's key, not m3's");
    assert_eq!(v.reason(&strange), "signed with a key that belongs to no member of the electorate");
    let human = v.env.tribune(&["-C", &v.c, "tally", SLUG]).ok().stdout;
    assert!(human.contains("EXCLUDED: unsigned") && human.contains("3 ballots excluded"), "{human}");
    v.env.fsck(&v.c);
}

#[test]
fn a_ballot_altered_after_signing_has_a_bad_signature() {
    let v = setup(3);
    v.vote("m1", "no").ok();
    let original = rev(&v.env, &v.c, &format!("refs/tribune/ballots/{SLUG}/m1"));
    let raw = v.env.git(&["-C", &v.c, "cat-file", "commit", &original]).ok().stdout;
    let altered = raw.replacen("\nno\n\nTribune-", "\nyes\n\nTribune-", 1);
    assert_ne!(raw, altered);
    let file = v.env.write("altered", altered);
    let id = v.env.git(&["-C", &v.c, "hash-object", "-t", "commit", "-w", &file]).ok().stdout.trim().to_string();
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m1"), &id]).ok();
    assert!(v.reason(&id).starts_with("bad signature"), "{}", v.reason(&id));
    assert_eq!(v.counts(), (0, 0, 0));
}

#[test]
fn a_member_added_after_the_proposal_is_not_in_the_electorate() {
    let v = setup(3);
    let late_key = member(&v.env, &v.c, "m9", "abc");
    let own = v.git_ballot("m9", &v.message("m9", "yes", 1), Some(&late_key), None);
    assert_eq!(v.reason(&own), "m9 joined the roster after the proposal, so is not in its electorate");
    let borrowed = v.git_ballot("m1", &v.message("m1", "yes", 1), Some(&late_key), None);
    assert_eq!(v.reason(&borrowed), "signed with the key of m9, who joined the roster after the proposal");
    let t = v.tally();
    assert_eq!(t["electorate"], 3);
}

#[test]
fn a_ballot_replayed_from_another_statement_or_bound_to_another_text_is_excluded() {
    let v = setup(3);
    let other = v.env.write("other.md", "+++\ntitle = \"Against the war\"\n+++\nNo war.\n");
    v.env.tribune(&["-C", &v.c, "propose", &other, "--deadline", DEADLINE]).ok();
    v.env.tribune(&["-C", &v.c, "vote", "against-the-war", "yes", "--as", "m1", "--key", v.key("m1")]).ok();
    let theirs = rev(&v.env, &v.c, "refs/tribune/ballots/against-the-war/m1");
    v.env.git(&["-C", &v.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m1"), &theirs]).ok();
    assert_eq!(
        v.reason(&theirs),
        "a ballot for the statement \"against-the-war\", not \"for-the-rent-strike\" (replayed)"
    );
    let amended = "0123456789012345678901234567890123456789";
    let message = v.message("m2", "yes", 1).replace(&v.text, amended);
    let id = v.git_ballot("m2", &message, Some(v.key("m2")), None);
    assert_eq!(
        v.reason(&id),
        format!("bound to the text 0123456789, not the proposed text {} (an amended text)", &v.text[..10])
    );
    assert_eq!(v.counts(), (0, 0, 0));
}

#[test]
fn two_ballots_with_one_sequence_number_both_lose() {
    let v = setup(3);
    let first = v.git_ballot("m1", &v.message("m1", "yes", 1), Some(v.key("m1")), None);
    let second = v.git_ballot("m1", &v.message("m1", "no", 1), Some(v.key("m1")), Some(&first));
    for id in [&first, &second] {
        assert_eq!(v.reason(id), "seq conflict: 2 ballots of m1 have the sequence number 1");
    }
    // The member's next tribune ballot follows on with seq 2 and counts.
    let r = v.vote("m1", "abstain").ok();
    assert!(r.stdout.contains("seq 2"), "{}", r.stdout);
    assert_eq!(v.counts(), (0, 0, 1));
}

#[test]
fn a_ballot_dated_after_the_deadline_is_excluded_and_the_earlier_one_counts() {
    let mut v = setup(3);
    v.vote("m1", "yes").ok();
    let first = rev(&v.env, &v.c, &format!("refs/tribune/ballots/{SLUG}/m1"));
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    let late = v.git_ballot("m1", &v.message("m1", "no", 2), Some(v.key("m1")), Some(&first));
    v.env.vars.clear();
    assert_eq!(v.reason(&late), "cast at 2026-12-02T00:00:00Z after the deadline 2026-12-01T00:00:00Z");
    assert_eq!(v.counts(), (1, 0, 0));
}

/// An approved statement (m1, m2 yes; m3 no) and the allowed-signers file.
fn approved() -> (Vote, String) {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no")]);
    v.approve("m1").ok();
    let signers = v.allowed_signers();
    (v, signers)
}

/// Replaces the approval tag with one made by plain `git tag -s` with `message` and `key`.
fn retag(v: &Vote, message: &str, key: &str) {
    let target = rev(&v.env, &v.c, &format!("statements/{SLUG}^{{commit}}"));
    v.git_tag(&target, message, key);
}

fn tag_message(v: &Vote) -> String {
    let raw = v.env.git(&["-C", &v.c, "cat-file", "tag", &format!("statements/{SLUG}")]).ok().stdout;
    let body = raw.split_once("\n\n").unwrap().1;
    body[..body.find("-----BEGIN SSH SIGNATURE-----").unwrap()].to_string()
}

#[test]
fn a_tag_whose_counts_differ_from_the_recount_fails_verify() {
    let (v, _) = approved();
    let forged = tag_message(&v).replace("Tribune-No: 1\n", "Tribune-No: 0\n");
    retag(&v, &forged, v.key("m2"));
    let r = v.env.tribune(&["-C", &v.c, "verify", SLUG]).fails(1, "failed verification");
    assert!(r.stdout.contains("FAILED statements/for-the-rent-strike"), "{}", r.stdout);
    assert!(r.stdout.contains("the tag says 0 no, the recount finds 1"), "{}", r.stdout);
    assert!(r.stdout.contains("approved by \"m1\" but is signed with m2's key"), "{}", r.stdout);
    let list = v.env.tribune(&["-C", &v.c, "statements"]).ok();
    assert!(list.stdout.contains("INVALID"), "{}", list.stdout);
    // tally does not call it approved either, and says why.
    let t = v.tally();
    assert_ne!(t["result"], "approved", "{t}");
    let human = v.env.tribune(&["-C", &v.c, "tally", SLUG]).ok().stdout;
    assert!(human.contains("fails verification"), "{human}");
}

#[test]
fn a_tag_signed_by_a_non_member_fails_verify() {
    let (v, signers) = approved();
    let (stranger, public) = keypair(&v.env, "stranger");
    retag(&v, &tag_message(&v), &stranger);
    // Plain git agrees that the signature is a good one by someone not in the roster.
    std::fs::write(
        &signers,
        format!("{}stranger namespaces=\"git\" {public}\n", std::fs::read_to_string(&signers).unwrap()),
    )
    .unwrap();
    let r = v.env.tribune(&["-C", &v.c, "verify"]).fails(1, "1 of 1 statement failed");
    assert!(r.stdout.contains("signed with a key that belongs to no member of the electorate"), "{}", r.stdout);
    let t = v.tally();
    assert_ne!(t["result"], "approved", "{t}");
}

#[test]
fn a_tampered_statement_text_fails_verify() {
    let (v, _) = approved();
    v.env.tribune(&["-C", &v.c, "verify"]).ok();
    amend_with_git(&v.env, &v.c, "We never supported the tenants.\n");
    let r = v.env.tribune(&["-C", &v.c, "verify", SLUG]).fails(1, "failed verification");
    assert!(r.stdout.contains("is not the text voted on"), "{}", r.stdout);
}

#[test]
fn allowed_signers_lists_every_key_in_gits_format() {
    let v = setup(2);
    member(&v.env, &v.c, "m9", "abc");
    let now = v.env.tribune(&["-C", &v.c, "allowed-signers"]).ok().stdout;
    let lines: Vec<&str> = now.lines().collect();
    assert_eq!(lines.len(), 3, "{now}");
    assert!(lines.iter().all(|l| l.contains(" namespaces=\"git\" ssh-ed25519 ")), "{now}");
    assert!(lines[0].starts_with("m1@example.org "), "{now}");
    let then = v.env.tribune(&["-C", &v.c, "allowed-signers", "--statement", SLUG]).ok().stdout;
    assert_eq!(then.lines().count(), 2, "{then}");
}

/// Proposes a second statement on `v`'s commons with extra flags; returns its slug.
fn propose(v: &Vote, title: &str, flags: &[&str]) -> String {
    let file = v.env.write("extra.md", format!("+++\ntitle = \"{title}\"\n+++\nText.\n"));
    let mut args = vec!["-C", &v.c, "propose", &file, "--deadline", DEADLINE, "--json"];
    args.extend_from_slice(flags);
    let r = v.env.tribune(&args).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    j["statement"].as_str().unwrap().to_string()
}

fn tally_of(v: &Vote, slug: &str) -> serde_json::Value {
    serde_json::from_str(&v.env.tribune(&["-C", &v.c, "tally", slug, "--json"]).ok().stdout).unwrap()
}

#[test]
fn basis_members_counts_the_whole_electorate_and_abstentions_count_for_quorum_only() {
    let v = setup(5);
    let slug = propose(&v, "Members decide", &["--basis", "members", "--threshold", "3/4", "--quorum", "4/5"]);
    let ballot = |m: &str, choice: &str| {
        v.env.tribune(&["-C", &v.c, "vote", &slug, choice, "--as", m, "--key", v.key(m)]).ok();
    };
    // 3 yes of 5 members: 3 × 4 = 12 < 3 × 5 = 15, whatever the others do.
    ballot("m1", "yes");
    ballot("m2", "yes");
    ballot("m3", "yes");
    let t = tally_of(&v, &slug);
    assert_eq!(t["outcome"]["threshold_met"], false);
    assert_eq!(t["outcome"]["quorum_met"], false, "3 of 5 is under 4/5");
    assert_eq!(
        t["outcome"]["arithmetic"][1],
        serde_json::json!({"test": "threshold", "yes": 3, "p": 3, "q": 4, "of": 5, "basis": "members", "met": false}),
        "{t}"
    );
    assert_eq!(t["decided"], serde_json::Value::Null, "two yes votes would still pass it");
    // An abstention makes the quorum but not the threshold.
    ballot("m4", "abstain");
    let t = tally_of(&v, &slug);
    assert_eq!(t["outcome"]["quorum_met"], true);
    assert_eq!(t["outcome"]["passes"], false);
    ballot("m5", "yes");
    let t = tally_of(&v, &slug);
    assert_eq!(t["outcome"]["passes"], true, "4 × 4 = 16 ≥ 3 × 5 = 15: {t}");
    assert_eq!(t["decided"], true);
}

#[test]
fn approval_is_refused_while_open_and_undecided_and_for_a_failing_tally() {
    let mut v = setup(3);
    let c = v.c.clone();
    let k1 = v.key("m1").to_string();
    v.vote("m1", "yes").ok();
    // Two members have not voted: two no votes would sink it.
    let r = refused(
        &v.env,
        &c,
        &["-C", &c, "approve", SLUG, "--as", "m1", "--key", &k1],
        1,
        &["still open until 2026-12-01T00:00:00Z", "2 members have not voted"],
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    let human = v.env.tribune(&["-C", &c, "tally", SLUG]).ok().stdout;
    assert!(human.contains("OPEN: 2 members who have not voted can still decide it"), "{human}");
    v.cast(&[("m2", "no"), ("m3", "no")]);
    let t = v.tally();
    assert_eq!(t["decided"], false, "1 yes, 2 no: decided, and it fails");
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    let t = v.tally();
    assert_eq!(t["result"], "fails");
    assert_eq!(t["open"], false);
    refused(
        &v.env,
        &c,
        &["-C", &c, "approve", SLUG, "--as", "m1", "--key", &k1],
        1,
        &["did not pass", "1 yes × 3 = 3 ≥ 2 × 3 = 6"],
    );
    // Someone outside the electorate, or with another key, cannot approve either.
    let k2 = v.key("m2").to_string();
    refused(&v.env, &c, &["-C", &c, "approve", SLUG, "--as", "m1", "--key", &k2], 1, &["not one of m1's keys"]);
    refused(&v.env, &c, &["-C", &c, "approve", SLUG, "--as", "nobody", "--key", &k1], 1, &["cannot approve"]);
    v.env.vars.clear();
    let none = v.env.tribune(&["-C", &c, "verify"]).ok();
    assert!(none.stdout.contains("No approved statements"), "{}", none.stdout);
    let r = v.env.tribune(&["-C", &c, "verify", SLUG]).fails(1, "failed verification");
    assert!(r.stdout.contains("has not been approved"), "{}", r.stdout);
}

#[test]
fn statements_lists_open_and_closed_statements_with_their_counts() {
    let v = setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    v.approve("m3").ok();
    let other = propose(&v, "Against the war", &[]);
    let all = v.env.tribune(&["-C", &v.c, "statements"]).ok().stdout;
    assert!(all.contains(SLUG) && all.contains(&other), "{all}");
    let open = v.env.tribune(&["-C", &v.c, "statements", "--open", "--json"]).ok().stdout;
    let j: serde_json::Value = serde_json::from_str(&open).unwrap();
    assert_eq!(j.as_array().unwrap().len(), 1, "{j}");
    assert_eq!(j[0]["statement"], other.as_str());
    assert_eq!(j[0]["status"], "open");
    let all: serde_json::Value =
        serde_json::from_str(&v.env.tribune(&["-C", &v.c, "statements", "--json"]).ok().stdout).unwrap();
    let approved = all.as_array().unwrap().iter().find(|r| r["statement"] == SLUG).unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["counts"]["yes"], 3);
}

#[test]
fn a_ballot_signed_through_ssh_agent_counts() {
    let v = setup(2);
    let (env, c) = (&v.env, &v.c);
    let sock = env.path("agent.sock").to_string_lossy().into_owned();
    let mut agent = std::process::Command::new("ssh-agent").args(["-D", "-a", &sock]).spawn().expect("ssh-agent runs");
    struct Kill<'a>(&'a mut std::process::Child);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _guard = Kill(&mut agent);
    for _ in 0..500 {
        if std::path::Path::new(&sock).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let key = v.key("m1").to_string();
    // The socket exists from bind(); until listen() an ssh-add is refused: try again.
    let mut added = std::process::Command::new("ssh-add").arg(&key).env("SSH_AUTH_SOCK", &sock).output().unwrap();
    for _ in 0..50 {
        if added.status.success() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        added = std::process::Command::new("ssh-add").arg(&key).env("SSH_AUTH_SOCK", &sock).output().unwrap();
    }
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    std::fs::remove_file(&key).unwrap();
    let mut env2 = Env::new();
    env2.set_clock(&env.now());
    env2.vars.push(("SSH_AUTH_SOCK".into(), sock.clone()));
    env2.vars.push(("HOME".into(), env.path("home").to_string_lossy().into_owned()));
    env2.tribune(&["-C", c, "vote", SLUG, "yes", "--as", "m1", "--key", &format!("{key}.pub")]).ok();
    assert_eq!(v.counts(), (1, 0, 0));
}
