//! `verify`: recount a statement from its approval tag alone and compare.

use super::*;

/// What `verify` found for one statement.
#[derive(Debug, Serialize)]
pub struct Verification {
    pub statement: String,
    pub tag: String,
    pub signed_by: Option<String>,
    /// The figures the recount gives.
    pub recount: Option<Counts>,
    pub passes: Option<bool>,
    /// Every way the tag and the recount disagree; empty when everything holds.
    pub problems: Vec<Problem>,
    /// What holds but is worth saying (ballots the tag left out that cannot change it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The ballots reachable from the tag, as the recount judged them.
    #[serde(skip)]
    pub ballots: Vec<Ballot>,
}

/// Recounts a statement from the ballots reachable from its approval tag and compares with
/// what the tag says. Problems are collected, not returned as errors, so that one report
/// names every difference.
pub fn verify(commons: &Commons, slug: &str) -> Result<Verification> {
    match commons.statement_tag(slug)? {
        Some(tag_id) => verify_tag(commons, slug, tag_id),
        None => Ok(Verification::failed(slug, Problem::NotApproved { tag: tag_name(slug) })),
    }
}

impl Verification {
    /// A verification that found `problem` before it could recount.
    pub fn failed(slug: &str, problem: Problem) -> Verification {
        Verification {
            statement: slug.to_string(),
            tag: tag_name(slug),
            signed_by: None,
            recount: None,
            passes: None,
            problems: vec![problem],
            notes: Vec::new(),
            ballots: Vec::new(),
        }
    }
}

/// [`verify`] for the tag object `tag_id` (which need not be under refs/tags yet: sync
/// checks a fetched tag before taking it).
pub fn verify_tag(commons: &Commons, slug: &str, tag_id: Oid) -> Result<Verification> {
    verify_tag_with(commons, slug, tag_id, None)
}

/// What an approval tag's message claims: its `Tribune-*` trailers, and the counted ballots
/// it lists (member → commit and choice).
struct Claims {
    said: HashMap<String, String>,
    ballots: BTreeMap<String, (String, String)>,
    /// `Tribune-Contingent` lines, as written.
    contingents: Vec<String>,
}

impl Claims {
    fn of(message: &str) -> Claims {
        let trailers = crate::git::trailers(message);
        let said = trailers
            .iter()
            .filter(|(k, _)| *k != "Tribune-Ballot" && *k != "Tribune-Contingent")
            .map(|(k, val)| (k.to_string(), val.to_string()))
            .collect();
        let ballots = trailers
            .iter()
            .filter(|(k, _)| *k == "Tribune-Ballot")
            .filter_map(|(_, val)| {
                let mut parts = val.split_whitespace();
                Some((parts.next()?.to_string(), (parts.next()?.to_string(), parts.next()?.to_string())))
            })
            .collect();
        let contingents =
            trailers.iter().filter(|(k, _)| *k == "Tribune-Contingent").map(|(_, val)| val.to_string()).collect();
        Claims { said, ballots, contingents }
    }

    fn get(&self, k: &str) -> Option<String> {
        self.said.get(&format!("Tribune-{k}")).cloned()
    }
}

/// [`verify_tag`] with the proposal and electorate when the caller has read them already.
/// Each stage adds what it finds to the verification; a stage that leaves nothing to check
/// after it (no tag object, no proposal, no tally commit, no time) ends the verification.
pub(super) fn verify_tag_with(
    commons: &Commons,
    slug: &str,
    tag_id: Oid,
    known: Option<(&Proposal, &Electorate)>,
) -> Result<Verification> {
    let repo = &commons.repo;
    let mut v = Verification::failed(slug, Problem::NoProposal);
    v.problems.clear();
    let Some(tag) = repo.read_tag(tag_id)? else {
        v.problems.push(Problem::Lightweight { tag: tag_name(slug) });
        return Ok(v);
    };
    let claims = Claims::of(&tag.message);
    if tag.name != tag_name(slug) {
        v.problems.push(Problem::Misnamed { found: tag.name.clone(), want: tag_name(slug) });
    }
    if claims.get("Statement").as_deref() != Some(slug) {
        v.problems.push(Problem::OtherStatement {
            found: claims.get("Statement").unwrap_or_default(),
            want: slug.to_string(),
        });
    }
    // The proposal the tag names, and the one the trunk has now.
    let Some(named) = claims.get("Proposal").and_then(|p| p.parse::<Oid>().ok()).filter(|p| repo.has_object(*p)) else {
        v.problems.push(Problem::NoProposal);
        return Ok(v);
    };
    let found;
    let proposal: &Proposal = match known {
        Some((p, _)) => p,
        None => match super::find_named(commons, slug, Some(named)) {
            Ok(p) => {
                found = p;
                &found
            }
            Err(e) => {
                v.problems.push(Problem::ProposalUnreadable { reason: format!("{e:#}") });
                return Ok(v);
            }
        },
    };
    check_proposal(&mut v, &claims, proposal, named);
    // A rule looser than the floors in force at the proposal: invalid, whatever the votes.
    for breach in &proposal.below_floors {
        v.problems.push(Problem::BelowFloor { breach: breach.clone() });
    }
    let loaded;
    let electorate: &Electorate = match known {
        Some((_, e)) => e,
        None => {
            loaded = Electorate::load(commons, proposal)?;
            &loaded
        }
    };
    check_signature(&mut v, &claims, &tag, electorate);
    let rule = proposal.statement.rule;
    check_rule(&mut v, &claims, &rule);
    // Recount from the ballots the tally commit keeps reachable.
    let Some(tips) = tally_parents(&mut v, repo, &tag, named)? else { return Ok(v) };
    let Some(approved_at) = tag.tagger.as_ref().map(|t| t.when.seconds) else {
        v.problems.push(Problem::NoApprovalTime);
        return Ok(v);
    };
    let now = crate::git::commit_time()?.seconds;
    if approved_at > now + CLOCK_SKEW {
        v.problems.push(Problem::DatedInTheFuture { at: rfc3339(approved_at), now: rfc3339(now) });
    }
    let deadline = proposal.deadline();
    let (closing, closing_name) = if approved_at < deadline {
        (approved_at, format!("the approval at {}", crate::model::time::time(&approved_at)))
    } else {
        (deadline, format!("the deadline {}", crate::model::time::time(&proposal.statement.deadline)))
    };
    let rules = Rules { proposal, electorate, closing, closing_name, now };
    let ballots = judge_all(repo, &rules, &tips)?;
    let counts = count(&ballots, electorate.size());
    check_recount(&mut v, &claims, &ballots, &counts);
    let blocs = blocs_of(electorate, &ballots);
    if rule.double_majority {
        check_contingents(&mut v, &claims, &blocs);
    }
    let early = approved_at < deadline;
    check_left_out(&mut v, commons, &rules, &ballots, early)?;
    let outcome = decide(&rule, &counts, &blocs);
    if !outcome.passes {
        v.problems.push(Problem::DoesNotPass { arithmetic: outcome.arithmetic.clone() });
    }
    // The whole message, the part people read included, must be what the recount gives.
    if v.problems.is_empty() {
        let expected = message_for(
            slug,
            &proposal.statement.title,
            &proposal.commit.to_string(),
            &proposal.text.to_string(),
            &rule,
            &counts,
            &blocs,
            &outcome,
            &ballots,
            v.signed_by.as_deref().unwrap_or(""),
        );
        check_message(&mut v, &tag.message, &expected);
    }
    if early && decided(&rule, &counts, &blocs) != Some(true) {
        v.problems.push(Problem::EarlyAndUndecided {
            at: rfc3339(approved_at),
            deadline: format_deadline(proposal.statement.deadline),
        });
    }
    v.passes = Some(outcome.passes);
    v.recount = Some(counts);
    v.ballots = ballots;
    Ok(v)
}

/// The proposal and text the tag names must be the trunk's, and the trunk must still hold
/// the text voted on.
fn check_proposal(v: &mut Verification, claims: &Claims, proposal: &Proposal, named: Oid) {
    if proposal.commit != named {
        v.problems.push(Problem::OtherProposal {
            named: named.to_string(),
            statement: proposal.slug.clone(),
            trunk: proposal.commit.to_string(),
        });
    }
    if claims.get("Text").as_deref() != Some(proposal.text.to_string().as_str()) {
        v.problems.push(Problem::OtherText {
            claimed: claims.get("Text").unwrap_or_default(),
            proposed: proposal.text.to_string(),
        });
    }
    if let Some(now) = proposal.amended {
        v.problems.push(Problem::Amended { now: now.to_string(), voted: proposal.text.to_string() });
    }
}

/// The signature: by a member of the electorate, and the member the tag names.
fn check_signature(v: &mut Verification, claims: &Claims, tag: &TagInfo, electorate: &Electorate) {
    let (sig, data) = match &tag.signature {
        Some((s, d)) => (Some(s.as_slice()), d.as_slice()),
        None => (None, &[][..]),
    };
    match electorate.keys.check(sig, data) {
        Signed::By { member, valid: true } => {
            if claims.get("Approved-By").as_deref() != Some(member.as_str()) {
                v.problems.push(Problem::ApproverIsNotSigner {
                    claimed: claims.get("Approved-By").unwrap_or_default(),
                    signer: member.clone(),
                });
            }
            v.signed_by = Some(member);
        }
        Signed::By { valid: false, .. } => v.problems.push(Problem::BadSignature),
        Signed::Shared(members) => v.problems.push(Problem::SharedKey { members }),
        Signed::Unsigned => v.problems.push(Problem::Unsigned),
        Signed::Malformed(reason) => v.problems.push(Problem::MalformedSignature { reason }),
        Signed::UnknownKey => v.problems.push(match sig.and_then(|s| electorate.later_owner(s)) {
            Some(member) => Problem::SignerJoinedLater { member },
            None => Problem::UnknownKey,
        }),
    }
}

/// The rule in the tag must be the proposal's.
fn check_rule(v: &mut Verification, claims: &Claims, rule: &crate::model::vote::Rule) {
    for (k, want) in [
        ("Threshold", Some(rule.threshold.to_string())),
        ("Basis", Some(rule.basis.to_string())),
        ("Quorum", Some(rule.quorum.to_string())),
        // Only a double majority's tag says so.
        ("Double-Majority", rule.double_majority.then(|| "true".to_string())),
    ] {
        if claims.get(k) != want {
            let want = want.unwrap_or_else(|| "(none)".into());
            v.problems.push(Problem::OtherRule {
                field: k.to_lowercase(),
                claimed: claims.get(k).unwrap_or_default(),
                proposal: want,
            });
        }
    }
}

/// A double majority's figures in the tag must be the recount's: the contingents, how many
/// count yes and no, and each contingent's line.
fn check_contingents(v: &mut Verification, claims: &Claims, blocs: &[Bloc]) {
    let cc = crate::model::vote::contingents(blocs);
    for (k, n) in [("Contingents", cc.contingents), ("Contingents-Yes", cc.yes), ("Contingents-No", cc.no)] {
        if claims.get(k).as_deref() != Some(n.to_string().as_str()) {
            v.problems.push(Problem::OtherContingentFigure {
                field: k.to_lowercase(),
                claimed: claims.get(k),
                recount: n.to_string(),
            });
        }
    }
    let claimed: BTreeMap<String, String> = claims
        .contingents
        .iter()
        .filter_map(|line| Some((line.split_whitespace().next()?.to_string(), line.clone())))
        .collect();
    for b in blocs {
        let want = contingent_trailer(b);
        if claimed.get(&b.contingent) != Some(&want) {
            v.problems.push(Problem::OtherContingentFigure {
                field: format!("contingent {}", b.contingent),
                claimed: claimed.get(&b.contingent).cloned(),
                recount: want,
            });
        }
    }
    for (c, line) in &claimed {
        if !blocs.iter().any(|b| &b.contingent == c) {
            v.problems.push(Problem::OtherContingentFigure {
                field: format!("contingent {c}"),
                claimed: Some(line.clone()),
                recount: "no member of the electorate".into(),
            });
        }
    }
}

/// The ballots the tally commit keeps reachable (member → ballot), one per member; None
/// when the tag points at no commit, so nothing can be recounted.
fn tally_parents(v: &mut Verification, repo: &Repo, tag: &TagInfo, named: Oid) -> Result<Option<Vec<(String, Oid)>>> {
    if tag.target_kind != "commit" {
        v.problems.push(Problem::NotATallyCommit { kind: tag.target_kind.clone() });
        return Ok(None);
    }
    let tally_commit = repo.commit(tag.target)?;
    if tally_commit.parents.first() != Some(&named) {
        v.problems.push(Problem::FirstParentNotProposal);
    }
    let mut tips: Vec<(String, Oid)> = Vec::new();
    for p in tally_commit.parents.iter().skip(1) {
        match repo.commit(*p)?.trailer("Tribune-Member") {
            // One ballot per member: a second would be counted twice.
            Some(m) if tips.iter().any(|(t, _)| t == m) => {
                v.problems.push(Problem::TwoBallotsOfOneMember { member: m.to_string(), left_out: p.to_string() })
            }
            Some(m) => tips.push((m.to_string(), *p)),
            None => v.problems.push(Problem::NotABallot { commit: p.to_string() }),
        }
    }
    Ok(Some(tips))
}

/// The figures and the ballots the tag lists must be the recount's.
fn check_recount(v: &mut Verification, claims: &Claims, ballots: &[Ballot], counts: &Counts) {
    for (k, n) in
        [("Yes", counts.yes), ("No", counts.no), ("Abstain", counts.abstain), ("Electorate", counts.electorate)]
    {
        if claims.get(k).as_deref() != Some(n.to_string().as_str()) {
            v.problems.push(Problem::OtherCount { field: k.to_lowercase(), claimed: claims.get(k), recount: n });
        }
    }
    let counted = counted_by_member(ballots);
    for (member, (commit, choice)) in &claims.ballots {
        match counted.get(member) {
            Some(b) if &b.commit == commit && b.choice.map(Choice::as_str) == Some(choice.as_str()) => {}
            Some(b) => v.problems.push(Problem::OtherBallot {
                member: member.clone(),
                listed: commit.clone(),
                choice: choice.clone(),
                counted: b.commit.clone(),
                counted_choice: b.choice.map(Choice::as_str).unwrap_or("?").to_string(),
            }),
            None => {
                let reason = ballots
                    .iter()
                    .find(|b| &b.commit == commit)
                    .and_then(|b| b.reason.clone())
                    .unwrap_or_else(|| "it is not reachable from the tag".into());
                v.problems.push(Problem::ExcludedBallot { member: member.clone(), ballot: commit.clone(), reason })
            }
        }
    }
    for member in counted.keys().filter(|m| !claims.ballots.contains_key(*m)) {
        v.problems.push(Problem::UnlistedBallot { member: member.clone() });
    }
}

fn counted_by_member(ballots: &[Ballot]) -> BTreeMap<String, &Ballot> {
    ballots.iter().filter(|b| b.status == Status::Counted).map(|b| (b.member.clone(), b)).collect()
}

/// Ballots on the refs that the tag leaves out: valid ballots cast before the tag closed the
/// vote, which the approver did not have (pushed late) or chose to hide. They void the
/// approval only when they could change its outcome: counted in place of (or beside) what
/// the tag counts, the statement must still pass, and an early approval must still have been
/// decided; otherwise they are a note. Refs deleted since cannot be checked, and need not be.
fn check_left_out(
    v: &mut Verification,
    commons: &Commons,
    rules: &Rules<'_>,
    ballots: &[Ballot],
    early: bool,
) -> Result<()> {
    let repo = &commons.repo;
    let prefix = format!("{BALLOT_REFS}{}/", rules.proposal.slug);
    let live_tips: Vec<(String, Oid)> =
        commons.ballot_refs(&prefix)?.into_iter().map(|(name, tip)| (name[prefix.len()..].to_string(), tip)).collect();
    if live_tips.is_empty() {
        return Ok(());
    }
    let counted = counted_by_member(ballots);
    let live = judge_all(repo, rules, &live_tips)?;
    let mut latest: BTreeMap<String, &Ballot> = counted.clone();
    let mut left_out = Vec::new();
    for b in live.iter().filter(|b| b.status == Status::Counted) {
        match counted.get(&b.member) {
            Some(c) if c.commit == b.commit => {}
            // The tag's ballot is the later one of the two (the ref was reset): it stands.
            Some(c) if c.seq >= b.seq => {}
            _ => {
                left_out.push(b);
                latest.insert(b.member.clone(), b);
            }
        }
    }
    // A counted ballot that the refs now show in a sequence conflict (the member signed
    // another ballot with the same number) counts no more, as the tally rule says.
    let mut conflicted = Vec::new();
    for (member, b) in &counted {
        let theirs: Vec<&Ballot> = live.iter().filter(|l| &l.member == member).collect();
        let voided = theirs
            .iter()
            .any(|l| l.commit == b.commit && l.reason.as_deref().is_some_and(|r| r.starts_with("seq conflict")));
        if voided && !theirs.iter().any(|l| l.status == Status::Counted) {
            conflicted.push(*b);
        }
    }
    for b in &conflicted {
        latest.remove(&b.member);
        left_out.push(b);
    }
    if left_out.is_empty() {
        return Ok(());
    }
    let mut complete = Counts { electorate: rules.electorate.size(), ..Counts::default() };
    for b in latest.values() {
        match b.choice {
            Some(Choice::Yes) => complete.yes += 1,
            Some(Choice::No) => complete.no += 1,
            Some(Choice::Abstain) => complete.abstain += 1,
            None => {}
        }
    }
    let rule = rules.proposal.statement.rule;
    let blocs = blocs_from(rules.electorate, latest.values().map(|b| (b.member.as_str(), b.choice)));
    let with_them = decide(&rule, &complete, &blocs);
    let early_undecided = early && decided(&rule, &complete, &blocs) != Some(true);
    let ballots: Vec<LeftOut> = left_out
        .iter()
        .map(|b| LeftOut {
            member: b.member.clone(),
            ballot: b.commit.clone(),
            choice: b.choice.map(|c| c.as_str().to_string()),
            seq_conflict: conflicted.iter().any(|c| c.commit == b.commit),
        })
        .collect();
    if !with_them.passes || early_undecided {
        v.problems.push(Problem::LeftOutBallotsChangeIt {
            ballots,
            still_passes: with_them.passes,
            arithmetic: with_them.arithmetic,
        });
    } else {
        v.notes.push(Note::LeftOutBallotsChangeNothing {
            ballots,
            yes: complete.yes,
            no: complete.no,
            abstain: complete.abstain,
            electorate: complete.electorate,
        });
    }
    Ok(())
}

/// The message must be, byte for byte, the one tribune writes for the recount.
fn check_message(v: &mut Verification, message: &str, expected: &str) {
    if message == expected {
        return;
    }
    let line = message
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| message.lines().count().min(expected.lines().count()));
    v.problems.push(Problem::OtherMessage {
        line: line + 1,
        says: message.lines().nth(line).unwrap_or("").to_string(),
        recount: expected.lines().nth(line).unwrap_or("").to_string(),
    });
}

#[cfg(test)]
mod tests;
