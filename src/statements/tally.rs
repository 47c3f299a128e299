//! The tally of a statement as the ballot refs (or its approval) give it.

use super::*;

/// A statement's tally as the ballot refs give it now.
#[derive(Serialize)]
pub struct Tally {
    pub statement: String,
    pub title: String,
    pub proposal: String,
    pub text: String,
    pub deadline: String,
    pub rule: crate::model::vote::Rule,
    pub electorate: u64,
    /// Members of the electorate with no key: they cannot cast a valid ballot.
    pub keyless: Vec<String>,
    /// Roster entries at the proposal that the electorate leaves out, or takes as the
    /// authorised roster has them, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOutMember>,
    pub counts: Counts,
    /// With a double majority: each contingent of the electorate, its counted ballots and
    /// how it counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contingents: Vec<BlocRow>,
    pub outcome: Outcome,
    /// True while ballots can still be cast (before the deadline and any approval).
    pub open: bool,
    /// True once the deadline is past (at the time of the count), approved or not.
    #[serde(skip)]
    pub deadline_passed: bool,
    /// While open: Some(true) when it will pass whatever the members who have not voted
    /// do, Some(false) when it will fail, None when they can still decide it.
    pub decided: Option<bool>,
    /// `open`, `passes`, `fails`, `approved`, or `invalid` (its rule is looser than the
    /// organisation's floors in force at its proposal: it never passes).
    pub result: String,
    /// Why it is invalid: every floor its rule is below.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub below_floors: Vec<crate::governance::rules::Breach>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The trunk's text when it was changed after the proposal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended: Option<String>,
    pub ballots: Vec<Ballot>,
    /// Every contingent's figures, double majority or not (for `approve`'s check).
    #[serde(skip)]
    pub blocs: Vec<Bloc>,
}

/// A contingent's figures in a tally, and how it counts.
#[derive(Debug, Clone, Serialize)]
pub struct BlocRow {
    #[serde(flatten)]
    pub bloc: Bloc,
    pub vote: BlocVote,
}

/// The contingents of the electorate with their counted ballots: each member counts in the
/// contingent their roster entry names at the proposal; a contingent with no member in the
/// electorate is not one of them. Sorted by contingent.
pub fn blocs_of(electorate: &Electorate, ballots: &[Ballot]) -> Vec<Bloc> {
    blocs_from(
        electorate,
        ballots.iter().filter(|b| b.status == Status::Counted).map(|b| (b.member.as_str(), b.choice)),
    )
}

/// [`blocs_of`] from each counted ballot's member and choice.
pub fn blocs_from<'a>(electorate: &Electorate, counted: impl Iterator<Item = (&'a str, Option<Choice>)>) -> Vec<Bloc> {
    let mut by: BTreeMap<&str, Bloc> = BTreeMap::new();
    for m in electorate.members.values() {
        let b = by
            .entry(m.contingent.as_str())
            .or_insert_with(|| Bloc { contingent: m.contingent.clone(), ..Bloc::default() });
        b.electorate += 1;
    }
    for (member, choice) in counted {
        let Some(m) = electorate.members.get(member) else { continue };
        let Some(b) = by.get_mut(m.contingent.as_str()) else { continue };
        match choice {
            Some(Choice::Yes) => b.yes += 1,
            Some(Choice::No) => b.no += 1,
            Some(Choice::Abstain) => b.abstain += 1,
            None => {}
        }
    }
    by.into_values().collect()
}

/// Tallies a statement from its ballot refs. `now` decides whether voting is still open;
/// `assume_approval_at` counts as if the statement were approved at that time.
pub fn tally(commons: &Commons, proposal: &Proposal, now: i64, assume_approval_at: Option<i64>) -> Result<Tally> {
    let repo = &commons.repo;
    let electorate = Electorate::load(commons, proposal)?;
    let mut approval = approval(commons, &electorate, &proposal.slug)?.map(|(a, _)| a);
    // A tag counts as an approval only when it verifies (signature, text and recount); then
    // its recount is the result, whatever was put on the ballot refs since.
    let mut sealed: Option<(Counts, Vec<Ballot>)> = None;
    if let Some(a) = approval.as_mut() {
        let id: Oid = a.tag_id.parse()?;
        let v = verify_tag_with(commons, &proposal.slug, id, Some((proposal, &electorate)))?;
        a.problems = v.problems;
        if !a.problems.is_empty() {
            a.signed_by = None;
        } else if let Some(c) = v.recount {
            sealed = Some((c, v.ballots));
        }
    }
    // Only a valid approval closes the vote early.
    let approved_at = assume_approval_at.or(approval.as_ref().filter(|a| a.signed_by.is_some()).map(|a| a.seconds));
    let deadline = proposal.deadline();
    let (closing, closing_name) = match approved_at {
        Some(t) if t < deadline => (t, format!("the approval at {}", crate::model::time::time(&t))),
        _ => (deadline, format!("the deadline {}", crate::model::time::time(&proposal.statement.deadline))),
    };
    let prefix = format!("{BALLOT_REFS}{}/", proposal.slug);
    let tips: Vec<(String, Oid)> = repo
        .refs_with_prefix(&prefix)?
        .into_iter()
        .map(|(name, tip)| (name[prefix.len()..].to_string(), tip))
        .collect();
    let rules = Rules { proposal, electorate: &electorate, closing, closing_name, now };
    let mut ballots = judge_all(repo, &rules, &tips)?;
    let counts = match sealed {
        // Approved: the tag's ballots are the ones counted, shown with every other ballot on
        // the refs (superseded, excluded, or left out of the approval).
        Some((counts, sealed)) => {
            let in_tag: HashSet<&str> =
                sealed.iter().filter(|b| b.status == Status::Counted).map(|b| b.commit.as_str()).collect();
            for b in ballots.iter_mut() {
                if in_tag.contains(b.commit.as_str()) {
                    b.status = Status::Counted;
                    b.reason = None;
                } else if b.status == Status::Counted {
                    b.status = Status::Excluded;
                    b.reason = Some("not counted by the approval: the tag leaves it out".to_string());
                }
            }
            for b in sealed.iter().filter(|b| b.status == Status::Counted) {
                if !ballots.iter().any(|x| x.commit == b.commit) {
                    ballots.push(b.clone());
                }
            }
            counts
        }
        None => count(&ballots, electorate.size()),
    };
    let rule = proposal.statement.rule;
    let blocs = blocs_of(&electorate, &ballots);
    let outcome = decide(&rule, &counts, &blocs);
    let open = now < closing && approved_at.is_none();
    let decided_now = if !proposal.below_floors.is_empty() {
        // Invalid: it will not pass, whatever the votes.
        Some(false)
    } else if open {
        decided(&rule, &counts, &blocs)
    } else {
        Some(outcome.passes)
    };
    let result = if !proposal.below_floors.is_empty() {
        "invalid"
    } else if approval.as_ref().is_some_and(|a| a.signed_by.is_some()) {
        "approved"
    } else if open {
        "open"
    } else if outcome.passes {
        "passes"
    } else {
        "fails"
    };
    Ok(Tally {
        statement: proposal.slug.clone(),
        title: proposal.statement.title.clone(),
        proposal: proposal.commit.to_string(),
        text: proposal.text.to_string(),
        deadline: format_deadline(proposal.statement.deadline),
        rule,
        electorate: electorate.size(),
        keyless: electorate.members.values().filter(|m| m.keys.is_empty()).map(|m| m.id.clone()).collect(),
        left_out: electorate.left_out.clone(),
        counts,
        contingents: if rule.double_majority {
            blocs.iter().map(|b| BlocRow { vote: b.vote(), bloc: b.clone() }).collect()
        } else {
            Vec::new()
        },
        outcome,
        open,
        deadline_passed: now >= deadline,
        decided: decided_now,
        result: result.to_string(),
        below_floors: proposal.below_floors.clone(),
        blocs,
        approval,
        amended: proposal.amended.map(|a| a.to_string()),
        ballots,
    })
}

pub fn rfc3339(seconds: i64) -> String {
    crate::git::Timestamp { seconds, offset_minutes: 0 }.rfc3339_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
    }
}
