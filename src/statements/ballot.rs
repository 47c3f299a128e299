//! Ballots: their message, and how each is judged and counted.

use super::*;
use crate::git::RefUpdate;
use crate::signing::Signer;

/// A ballot's commit message: the choice, an optional comment, then the trailers that bind
/// it to one member, one proposal and one text.
pub fn ballot_message(
    slug: &str,
    proposal: Oid,
    text: Oid,
    member: &str,
    seq: u64,
    choice: Choice,
    comment: Option<&str>,
) -> String {
    let mut m = format!("{}\n\n", choice.as_str());
    if let Some(c) = comment {
        m.push_str(&format!("{}\n\n", c.trim()));
    }
    m.push_str(&format!(
        "Tribune-Statement: {slug}\nTribune-Proposal: {proposal}\nTribune-Text: {text}\nTribune-Member: {member}\nTribune-Seq: {seq}\n"
    ));
    m
}

/// What became of a ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The member's latest valid ballot: it counts.
    Counted,
    /// A valid ballot replaced by a later one of the same member.
    Superseded,
    /// Not valid, for the reason given.
    Excluded,
}

/// One ballot commit and what the tally made of it.
#[derive(Debug, Clone, Serialize)]
pub struct Ballot {
    pub commit: String,
    /// The member whose ref holds it.
    pub member: String,
    /// The member's contingent in the electorate (empty for someone outside it).
    pub contingent: String,
    pub choice: Option<Choice>,
    pub seq: Option<u64>,
    /// When it was cast (its commit time), RFC 3339.
    pub at: String,
    #[serde(skip)]
    pub seconds: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What every ballot is checked against.
pub struct Rules<'a> {
    pub proposal: &'a Proposal,
    pub electorate: &'a Electorate,
    /// Ballots dated after this (seconds) are too late: the deadline, or an earlier approval.
    pub closing: i64,
    /// How to name the closing in a reason ("the deadline 2026-12-01T18:00:00Z").
    pub closing_name: String,
    /// The time of this judgement (seconds): a ballot dated later is not counted yet, by
    /// `tally` and `approve` alike, so the two never disagree on the same ballots.
    pub now: i64,
}

/// Reads one member's ballots from `tip` back and judges each: at most one is counted
/// (the valid one with the highest sequence number).
pub fn member_ballots(repo: &Repo, rules: &Rules<'_>, member: &str, tip: Oid) -> Result<Vec<Ballot>> {
    let mut out: Vec<Ballot> = Vec::new();
    let mut stack = vec![tip];
    let mut seen = HashSet::new();
    // Commits that are not ballots (stacked by someone else, or the ref pointed at other
    // history): walked through, so that nothing put on a member's ref can hide the member's
    // own ballots underneath, and named once, not one by one.
    let mut foreign: Option<(Oid, usize)> = None;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(info) = repo.commit_if_commit(id)? else {
            out.push(Ballot {
                commit: id.to_string(),
                member: member.to_string(),
                contingent: String::new(),
                choice: None,
                seq: None,
                at: String::new(),
                seconds: 0,
                comment: None,
                status: Status::Excluded,
                reason: Some("not a ballot: the ref points at an object that is not a commit".into()),
            });
            continue;
        };
        stack.extend(info.parents.iter().copied());
        if info.trailer("Tribune-Statement").is_none() {
            // Sync's own merge of a member's ballots from two clones is not a ballot, and no
            // stranger's either: it is walked through without a word.
            if info.trailer("Tribune-Action") == Some("merge-ballots") && info.trailer("Tribune-Member") == Some(member)
            {
                continue;
            }
            let f = foreign.get_or_insert((id, 0));
            f.1 += 1;
            continue;
        }
        out.push(judge(repo, rules, member, &info)?);
    }
    if let Some((first, n)) = foreign {
        let info = repo.commit(first)?;
        let mut b = judge(repo, rules, member, &info)?;
        b.reason = Some(if n == 1 {
            "not a ballot: the commit has no Tribune-Statement trailer".to_string()
        } else {
            format!(
                "not a ballot: {n} commits on this ref have no Tribune-Statement trailer (this is the first); the \
                 ballots under them were read"
            )
        });
        out.push(b);
    }
    // Two ballots with one sequence number: the member's order is ambiguous, so neither counts.
    let mut by_seq: HashMap<u64, usize> = HashMap::new();
    for b in out.iter().filter(|b| b.reason.is_none()) {
        if let Some(s) = b.seq {
            *by_seq.entry(s).or_default() += 1;
        }
    }
    for b in out.iter_mut().filter(|b| b.reason.is_none()) {
        if let Some(s) = b.seq.filter(|s| by_seq.get(s).copied().unwrap_or(0) > 1) {
            b.reason = Some(format!("seq conflict: {} ballots of {member} have the sequence number {s}", by_seq[&s]));
        }
    }
    let best = out.iter().enumerate().filter(|(_, b)| b.reason.is_none()).max_by_key(|(_, b)| b.seq).map(|(i, _)| i);
    for (i, b) in out.iter_mut().enumerate() {
        b.status = if b.reason.is_some() {
            Status::Excluded
        } else if Some(i) == best {
            Status::Counted
        } else {
            Status::Superseded
        };
    }
    out.sort_by(|a, b| b.seq.cmp(&a.seq).then(b.seconds.cmp(&a.seconds)));
    Ok(out)
}

/// One ballot's checks; the first that fails is its reason.
fn judge(repo: &Repo, rules: &Rules<'_>, member: &str, info: &CommitInfo) -> Result<Ballot> {
    let p = rules.proposal;
    let choice = Choice::parse(info.summary());
    let seq = info.trailer("Tribune-Seq").and_then(|s| s.parse::<u64>().ok());
    let body = info.message.trim_end();
    let comment = body
        .split_once("\n\n")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.rsplit_once("\n\n").map(|(c, _)| c.trim().to_string()))
        .filter(|c| !c.is_empty());
    let mut ballot = Ballot {
        commit: info.id.to_string(),
        member: member.to_string(),
        contingent: rules.electorate.members.get(member).map(|m| m.contingent.clone()).unwrap_or_default(),
        choice,
        seq,
        at: info.committer.when.rfc3339_utc(),
        seconds: info.committer.when.seconds,
        comment,
        status: Status::Excluded,
        reason: None,
    };
    let short = |s: &str| s.chars().take(10).collect::<String>();
    let reason = if let Some(s) = info.trailer("Tribune-Statement").filter(|s| *s != p.slug) {
        Some(format!("a ballot for the statement {s:?}, not {:?} (replayed)", p.slug))
    } else if let Some(m) = info.trailer("Tribune-Member").filter(|m| *m != member) {
        Some(format!("it names the member {m:?} but sits on {member}'s ref"))
    } else if info.trailer("Tribune-Proposal") != Some(p.commit.to_string().as_str()) {
        Some(match info.trailer("Tribune-Proposal") {
            Some(other) => format!("bound to the proposal {}, not {}", short(other), p.commit.short(10)),
            None => "it names no proposal (Tribune-Proposal)".to_string(),
        })
    } else if info.trailer("Tribune-Text") != Some(p.text.to_string().as_str()) {
        Some(match info.trailer("Tribune-Text") {
            Some(other) => {
                format!(
                    "bound to the text {}, not the proposed text {} (an amended text)",
                    short(other),
                    p.text.short(10)
                )
            }
            None => "it names no text (Tribune-Text)".to_string(),
        })
    } else if choice.is_none() {
        Some(format!("{:?} is not a choice (yes, no or abstain)", info.summary()))
    } else if seq.is_none() {
        Some("it has no sequence number (Tribune-Seq)".to_string())
    } else if !rules.electorate.members.contains_key(member) {
        Some(rules.electorate.outsider(member))
    } else if let Some(r) = signature_problem(repo, rules.electorate, member, info.id)? {
        Some(r)
    } else if ballot.seconds > rules.closing {
        Some(format!("cast at {} after {}", crate::model::time::time(&ballot.seconds), rules.closing_name))
    } else if ballot.seconds > rules.now {
        Some(format!(
            "dated {}, in the future (the count is made at {}): it counts once its time has come",
            crate::model::time::time(&ballot.seconds),
            crate::model::time::time(&rules.now)
        ))
    } else {
        None
    };
    ballot.reason = reason;
    Ok(ballot)
}

/// Why a ballot's signature does not show that `member` cast it, if it does not.
fn signature_problem(repo: &Repo, electorate: &Electorate, member: &str, commit: Oid) -> Result<Option<String>> {
    let sig = repo.commit_signature(commit)?;
    let (signature, data) = match &sig {
        Some((s, d)) => (Some(s.as_slice()), d.as_slice()),
        None => (None, &[][..]),
    };
    Ok(match electorate.keys.check(signature, data) {
        Signed::By { member: m, valid: true } if m == member => None,
        Signed::By { member: m, valid: true } => Some(format!("signed with {m}'s key, not {member}'s")),
        Signed::By { valid: false, .. } => {
            Some("bad signature: it does not match the ballot (altered after signing?)".to_string())
        }
        Signed::Shared(ms) => Some(format!(
            "signed with a key that several members list ({}), so it cannot show who signed",
            ms.join(", ")
        )),
        Signed::Unsigned => Some("unsigned".to_string()),
        Signed::Malformed(why) => Some(format!("bad signature: {why}")),
        Signed::UnknownKey => Some(match signature.and_then(|s| electorate.later_owner(s)) {
            Some(m) => format!("signed with the key of {m}, who joined the roster after the proposal"),
            None => "signed with a key that belongs to no member of the electorate".to_string(),
        }),
    })
}

/// The ballots of many members (member → ref tip), judged on both cores.
pub fn judge_all(repo: &Repo, rules: &Rules<'_>, tips: &[(String, Oid)]) -> Result<Vec<Ballot>> {
    let per_member = repo.par_map(tips, 64, |repo, (member, tip)| member_ballots(repo, rules, member, *tip))?;
    Ok(per_member.into_iter().flatten().collect())
}

/// The counts of the counted ballots.
pub fn count(ballots: &[Ballot], electorate: u64) -> Counts {
    let mut c = Counts { electorate, ..Counts::default() };
    for b in ballots.iter().filter(|b| b.status == Status::Counted) {
        match b.choice {
            Some(Choice::Yes) => c.yes += 1,
            Some(Choice::No) => c.no += 1,
            Some(Choice::Abstain) => c.abstain += 1,
            None => {}
        }
    }
    c
}

/// A ballot written.
pub struct Written {
    pub commit: Oid,
    pub seq: u64,
    pub refname: String,
    /// The ballot it replaces.
    pub previous: Option<crate::git::CommitInfo>,
}

/// Writes a ballot on `member`'s ref, signed by `signer`, as a compare-and-swap: its parent
/// and sequence number follow whatever ballot the ref holds when it is written. No check of
/// who may vote is made here (see `run`).
#[allow(clippy::too_many_arguments)]
pub fn cast(
    commons: &Commons,
    proposal: &Proposal,
    member: &str,
    choice: Choice,
    comment: Option<&str>,
    signer: &Signer,
    author: &crate::git::Identity,
    committer: &crate::git::Identity,
) -> Result<Written> {
    let slug = &proposal.slug;
    let refname = ballot_ref(slug, member);
    let tree = commons.repo.empty_tree()?;
    // The member's keys in the electorate (the signer's is one of them), decompressed once.
    let ring = match member_at(&commons.repo, commons.repo.commit_tree(proposal.commit)?, member)? {
        Some(m) => KeyRing::new([&m]),
        None => KeyRing::default(),
    };
    for attempt in 0..100 {
        let tip = commons.repo.ref_target(&refname)?;
        let previous = match tip {
            Some(t) => Some(commons.repo.commit(t)?),
            None => None,
        };
        let seq = match tip {
            Some(t) => highest_seq(&commons.repo, t, &ring, member)?.checked_add(1).ok_or_else(|| {
                fail(
                    format!("{refname} already holds a ballot with the largest possible sequence number"),
                    "no later ballot can follow it; ask the organisation to look at that ref",
                )
            })?,
            None => 1,
        };
        let text = ballot_message(slug, proposal.commit, proposal.text, member, seq, choice, comment);
        let parents: Vec<Oid> = tip.into_iter().collect();
        let commit = commons.repo.write_commit(tree, &parents, author, committer, &text, Some(&|d| signer.sign(d)))?;
        match commons.repo.update_ref(&refname, commit, tip, &format!("tribune: vote {} on {slug}", choice.as_str()))? {
            RefUpdate::Done => {
                if !closed_before(commons, slug, commit)? {
                    return Ok(Written { commit, seq, refname, previous });
                }
                let undone = match tip {
                    Some(tip) => commons.repo.update_ref(&refname, tip, Some(commit), "tribune: vote taken back")?,
                    None => commons.repo.delete_ref(&refname, commit)?,
                };
                if undone == RefUpdate::Moved {
                    // Another ballot of the member's already follows it: it stays.
                    return Ok(Written { commit, seq, refname, previous });
                }
                return Err(fail(
                    format!(
                        "{slug} was approved (tag {}) while this ballot was being cast: voting is closed, and this \
                         ballot was taken back",
                        super::tag_name(slug)
                    ),
                    format!("see the result with `tribune tally {slug}` and check it with `tribune verify {slug}`"),
                ));
            }
            RefUpdate::Moved => std::thread::sleep(crate::git::backoff(attempt.min(6))),
        }
    }
    Err(fail(format!("{refname} kept moving"), "another process is voting as this member at the same time; try again"))
}

/// Does an approval in place close the vote before the ballot just written? An approval
/// that appears (or becomes valid) while a ballot is written closes the vote before it: the
/// ballot, dated before the tag and left out of it, would void it or at least go uncounted,
/// so it is taken back (`approve`, which checks its tag once written, covers the other
/// order). Judged by what the tag's check finds now, not by whether the tag's id changed
/// while the ballot was written: an approval taken back and written again with the same
/// count has the same id, and a tag that did not verify when the vote began (other ballots
/// racing it, since taken back) may verify now. A tag that counts this ballot, or that fails
/// for any reason but left-out ballots, this one among them, does not close the vote.
fn closed_before(commons: &Commons, slug: &str, ballot: Oid) -> Result<bool> {
    let Some(tag) = commons.repo.ref_target(&super::tag_ref(slug))? else { return Ok(false) };
    let ballot = ballot.to_string();
    let v = verify_tag(commons, slug, tag)?;
    if v.ballots.iter().any(|b| b.commit == ballot) {
        return Ok(false);
    }
    Ok(v.problems.iter().all(
        |p| matches!(p, Problem::LeftOutBallotsChangeIt { ballots, .. } if ballots.iter().any(|b| b.ballot == ballot)),
    ))
}

/// The highest sequence number among the member's own ballots reachable from `tip` (0 when
/// there is none): every commit is walked, as the tally walks them, so nothing stacked on
/// the ref hides a ballot; only ballots signed with one of the member's `keys` count, so a
/// forged commit cannot push the number out of reach.
fn highest_seq(repo: &crate::git::Repo, tip: Oid, ring: &KeyRing, member: &str) -> Result<u64> {
    let mut highest = 0;
    let mut stack = vec![tip];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(c) = repo.commit_if_commit(id)? else { continue };
        stack.extend(c.parents.iter().copied());
        let Some(s) = c.trailer("Tribune-Seq").and_then(|s| s.parse::<u64>().ok()) else { continue };
        if s <= highest || c.trailer("Tribune-Statement").is_none() {
            continue;
        }
        let signed = match repo.commit_signature(id)? {
            Some((sig, data)) => {
                matches!(ring.check(Some(&sig), &data), Signed::By { member: m, valid: true } if m == member)
            }
            None => false,
        };
        if signed {
            highest = s;
        }
    }
    Ok(highest)
}

/// Refuses a ballot that could not count: the vote is closed, or the text changed.
pub fn open_for_votes(commons: &Commons, proposal: &Proposal, now: i64) -> Result<()> {
    let slug = &proposal.slug;
    if let Some(tag) = commons.statement_tag(slug)? {
        // Only a valid approval closes the vote: anyone can push a ref.
        if verify_tag(commons, slug, tag)?.problems.is_empty() {
            return Err(fail(
                format!("{slug} has been approved (tag {}): voting is closed", tag_name(slug)),
                format!("see the result with `tribune tally {slug}` and check it with `tribune verify {slug}`"),
            ));
        }
        crate::events::emit(crate::events::Event::TagDoesNotCloseVote { tag: tag_name(slug), slug: slug.clone() });
    }
    if now > proposal.deadline() {
        return Err(fail(
            format!(
                "voting on {slug} closed at {} (it is now {})",
                crate::model::time::time(&proposal.statement.deadline),
                crate::model::time::time(&now)
            ),
            format!("a ballot cast after the deadline would not count; see `tribune tally {slug}`"),
        ));
    }
    proposal.refuse_if_amended(
        "the text that was proposed",
        ": it was changed in a later commit",
        "ballots bind the proposed text; propose the changed text as a new statement with `tribune propose`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ballot(member: &str, choice: Choice, status: Status) -> Ballot {
        Ballot {
            commit: format!("{member}-commit"),
            member: member.into(),
            contingent: String::new(),
            choice: Some(choice),
            seq: Some(1),
            at: String::new(),
            seconds: 0,
            comment: None,
            status,
            reason: None,
        }
    }

    #[test]
    fn a_ballot_message_binds_the_statement_proposal_text_member_and_seq() {
        let p: Oid = "1111111111111111111111111111111111111111".parse().unwrap();
        let t: Oid = "2222222222222222222222222222222222222222".parse().unwrap();
        let m = ballot_message("s", p, t, "m1", 3, Choice::No, Some("  because  "));
        assert!(m.starts_with("no\n\nbecause\n\n"), "{m}");
        let trailers: Vec<(&str, &str)> = crate::git::trailers(&m);
        assert!(trailers.contains(&("Tribune-Proposal", "1111111111111111111111111111111111111111")));
        assert!(trailers.contains(&("Tribune-Text", "2222222222222222222222222222222222222222")));
        assert!(trailers.contains(&("Tribune-Seq", "3")) && trailers.contains(&("Tribune-Member", "m1")));
    }

    #[test]
    fn only_counted_ballots_count() {
        let ballots = [
            ballot("a", Choice::Yes, Status::Counted),
            ballot("b", Choice::No, Status::Counted),
            ballot("c", Choice::Yes, Status::Superseded),
            ballot("d", Choice::Yes, Status::Excluded),
            ballot("e", Choice::Abstain, Status::Counted),
        ];
        let c = count(&ballots, 9);
        assert_eq!((c.yes, c.no, c.abstain, c.electorate), (1, 1, 1, 9));
    }
}
