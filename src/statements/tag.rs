//! The approval tag: how it is read, and the message it carries.

use super::*;
use crate::git::RefUpdate;

/// A statement's approval tag, as found.
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub tag: String,
    pub tag_id: String,
    /// The member whose key signed it, when the signature is a valid one by a member of the electorate.
    pub signed_by: Option<String>,
    pub at: String,
    #[serde(skip)]
    pub seconds: i64,
    /// Why the tag does not verify (empty when it does).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Reads the approval tag of a statement, if there is one.
pub fn approval(commons: &Commons, electorate: &Electorate, slug: &str) -> Result<Option<(Approval, TagInfo)>> {
    let repo = &commons.repo;
    let Some(id) = commons.statement_tag(slug)? else { return Ok(None) };
    let Some(tag) = repo.read_tag(id)? else {
        return Ok(Some((
            Approval {
                tag: tag_name(slug),
                tag_id: id.to_string(),
                signed_by: None,
                at: String::new(),
                seconds: 0,
                problems: Vec::new(),
            },
            TagInfo {
                id,
                target: id,
                target_kind: "commit".into(),
                name: tag_name(slug),
                tagger: None,
                message: String::new(),
                signature: None,
            },
        )));
    };
    let signed_by = match &tag.signature {
        // Without a tagger there is no approval time: not an approval.
        _ if tag.tagger.is_none() => None,
        Some((sig, data)) => match electorate.keys.check(Some(sig), data) {
            Signed::By { member, valid: true } => Some(member),
            _ => None,
        },
        None => None,
    };
    let when = tag.tagger.as_ref().map(|t| t.when);
    Ok(Some((
        Approval {
            tag: tag_name(slug),
            tag_id: id.to_string(),
            signed_by,
            at: when.map(|w| w.rfc3339_utc()).unwrap_or_default(),
            seconds: when.map(|w| w.seconds).unwrap_or(0),
            problems: Vec::new(),
        },
        tag,
    )))
}

/// The message of an approval tag: a readable summary, then every figure and every counted
/// ballot as trailers, so that `verify` can compare them with a recount.
pub fn tag_message(t: &Tally, approver: &str) -> String {
    message_for(
        &t.statement,
        &t.title,
        &t.proposal,
        &t.text,
        &t.rule,
        &t.counts,
        &t.blocs,
        &t.outcome,
        &t.ballots,
        approver,
    )
}

/// [`tag_message`] from its parts: `verify` rebuilds it from a recount and compares bytes.
#[allow(clippy::too_many_arguments)]
pub(super) fn message_for(
    statement: &str,
    title: &str,
    proposal: &str,
    text: &str,
    rule: &crate::model::vote::Rule,
    c: &Counts,
    blocs: &[Bloc],
    outcome: &Outcome,
    ballots: &[Ballot],
    approver: &str,
) -> String {
    let mut m = format!(
        "Statement {statement} approved: {title}\n\n{} yes, {} no, {} abstain; {} of {} members voted.\n",
        c.yes,
        c.no,
        c.abstain,
        c.voted(),
        c.electorate,
    );
    let cc = crate::model::vote::contingents(blocs);
    if rule.double_majority {
        m.push_str(&format!(
            "Contingents: {} yes, {} no, {} silent of {}.\n",
            cc.yes, cc.no, cc.silent, cc.contingents
        ));
    }
    m.push_str(&format!("Rule: {}.\n", rule_text(rule)));
    for line in &outcome.arithmetic {
        m.push_str(&format!("{line}\n"));
    }
    m.push_str(&format!(
        "\nRecount: tribune verify {statement}\nVerify the signature: tribune allowed-signers --statement {statement} > \
         signers; git -c gpg.ssh.allowedSignersFile=signers tag -v statements/{statement}\n\n"
    ));
    let mut trailers = vec![
        ("Statement", statement.to_string()),
        ("Proposal", proposal.to_string()),
        ("Text", text.to_string()),
        ("Threshold", rule.threshold.to_string()),
        ("Basis", rule.basis.to_string()),
        ("Quorum", rule.quorum.to_string()),
        ("Electorate", c.electorate.to_string()),
        ("Yes", c.yes.to_string()),
        ("No", c.no.to_string()),
        ("Abstain", c.abstain.to_string()),
    ];
    // A double majority's figures, for a recount from the tag alone; a single majority's
    // message is as it always was, so that older tags still verify byte for byte.
    if rule.double_majority {
        trailers.push(("Double-Majority", "true".to_string()));
        trailers.push(("Contingents", cc.contingents.to_string()));
        trailers.push(("Contingents-Yes", cc.yes.to_string()));
        trailers.push(("Contingents-No", cc.no.to_string()));
        for b in blocs {
            trailers.push(("Contingent", contingent_trailer(b)));
        }
    }
    trailers.push(("Approved-By", approver.to_string()));
    let mut counted: Vec<&Ballot> = ballots.iter().filter(|b| b.status == Status::Counted).collect();
    counted.sort_by(|a, b| a.member.cmp(&b.member));
    for b in counted {
        trailers.push(("Ballot", format!("{} {} {}", b.member, b.commit, b.choice.map(Choice::as_str).unwrap_or("?"))));
    }
    for (k, v) in trailers {
        m.push_str(&format!("Tribune-{k}: {v}\n"));
    }
    m
}

/// A contingent's `Tribune-Contingent` trailer: "<id> <members> <yes> <no> <abstain>
/// <yes|no|silent>".
pub fn contingent_trailer(b: &Bloc) -> String {
    let vote = match b.vote() {
        BlocVote::Yes => "yes",
        BlocVote::No => "no",
        BlocVote::Silent => "silent",
    };
    format!("{} {} {} {} {} {vote}", b.contingent, b.electorate, b.yes, b.no, b.abstain)
}

/// "2/3 of the votes cast (yes and no), quorum 1/2 of the electorate", and with a double
/// majority ", and 2/3 of the contingents voting (double majority)".
pub fn rule_text(rule: &crate::model::vote::Rule) -> String {
    let basis = match rule.basis {
        crate::model::vote::Basis::Cast => "of the votes cast (yes and no)",
        crate::model::vote::Basis::Members => "of the whole electorate",
    };
    let mut text = format!("{} {basis}, quorum {} of the electorate", rule.threshold, rule.quorum);
    if rule.double_majority {
        let of = match rule.basis {
            crate::model::vote::Basis::Cast => "of the contingents voting",
            crate::model::vote::Basis::Members => "of all the contingents",
        };
        text.push_str(&format!(", and {} {of} (double majority)", rule.threshold));
    }
    text
}

/// An approval written.
pub struct Sealed {
    pub tally: Tally,
    pub tag: Oid,
    pub tally_commit: Oid,
}

/// Tallies as of now (approval closes the vote), checks that the statement passed, or is
/// decided before its deadline, and writes the tally commit and the signed tag.
pub fn seal(
    commons: &Commons,
    proposal: &Proposal,
    member: &str,
    signer: &crate::signing::Signer,
    tagger: &crate::git::Identity,
) -> Result<Sealed> {
    const TRIES: usize = 5;
    for _ in 0..TRIES {
        if let Some(sealed) = seal_once(commons, proposal, member, signer, tagger)? {
            return Ok(sealed);
        }
    }
    Err(fail(
        format!("{} could not be approved: ballots kept arriving while it was counted", proposal.slug),
        format!("nothing was approved; run `tribune approve {}` again when the voting settles", proposal.slug),
    ))
}

/// One count and tag: None when the tag, once written, did not verify and was taken back.
fn seal_once(
    commons: &Commons,
    proposal: &Proposal,
    member: &str,
    signer: &crate::signing::Signer,
    tagger: &crate::git::Identity,
) -> Result<Option<Sealed>> {
    let repo = &commons.repo;
    let slug = &proposal.slug;
    let now = tagger.when.seconds;
    if let Some(breach) = proposal.below_floors.first() {
        return Err(fail(
            format!("{slug} cannot be approved: {breach}"),
            "a statement looser than the organisation's floors in force at its proposal is invalid, whatever its \
             votes; propose it again with a rule that meets them (`tribune tally` lists every floor it misses)",
        ));
    }
    let t = tally(commons, proposal, now, Some(now))?;
    if now < proposal.deadline() && crate::model::vote::decided(&t.rule, &t.counts, &t.blocs) != Some(true) {
        let left = t.counts.electorate.saturating_sub(t.counts.voted());
        return Err(fail(
            format!("{slug} is still open until {}, and its outcome is not decided", t.deadline),
            format!(
                "{} not voted and could still change the result; approve after the deadline (see `tribune tally \
                 {slug}`)",
                crate::model::words::count(left, "member has", "members have")
            ),
        ));
    }
    if !t.outcome.passes {
        return Err(fail(
            format!(
                "{slug} did not pass: {}",
                t.outcome.arithmetic.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            ),
            "only a statement that reached its threshold and quorum can be approved",
        ));
    }
    let mut parents = vec![proposal.commit];
    let mut counted: Vec<&Ballot> = t.ballots.iter().filter(|b| b.status == Status::Counted).collect();
    counted.sort_by(|a, b| a.member.cmp(&b.member));
    for b in &counted {
        parents.push(b.commit.parse::<Oid>()?);
    }
    let tree = repo.commit_tree(proposal.commit)?;
    let c = &t.counts;
    let tally_message = crate::commons::message(
        &format!("tally: {slug}: {} yes, {} no, {} abstain of {}", c.yes, c.no, c.abstain, c.electorate),
        &[("Action", "tally"), ("Statement", slug)],
    );
    let tally_commit = repo.write_commit(tree, &parents, tagger, tagger, &tally_message, None)?;
    let message = tag_message(&t, member);
    let tag = repo.write_tag(tally_commit, &tag_name(slug), tagger, &message, Some(&|d| signer.sign(d)))?;
    match repo.update_ref(&tag_ref(slug), tag, None, &format!("tribune: approve {slug}"))? {
        RefUpdate::Done => {}
        RefUpdate::Moved => {
            return Err(fail(
                format!("{slug} was approved by someone else meanwhile"),
                format!("check their tag with `tribune verify {slug}`"),
            ))
        }
    }
    // A ballot cast while the count was made (a `vote` running beside this `approve`) is
    // dated before the tag but left out of it; `verify` recounts it, and when it changes the
    // outcome the approval is void. So the tag is verified as soon as it is in place: one
    // that does not verify, or that leaves out a ballot even though it changes nothing (its
    // vote said it was recorded, and the approval closes the vote), is taken back (unless
    // someone moved it meanwhile) and the count made again with the ballots now on the refs.
    let v = crate::statements::verify_tag(commons, slug, tag)?;
    let left_out = v.notes.iter().any(|n| matches!(n, crate::statements::Note::LeftOutBallotsChangeNothing { .. }));
    if v.problems.is_empty() && !left_out {
        return Ok(Some(Sealed { tally: t, tag, tally_commit }));
    }
    repo.delete_ref(&tag_ref(slug), tag)?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_reads_as_a_sentence() {
        use crate::model::vote::{Basis, Rule};
        let rule = Rule::two_thirds(Basis::Members);
        assert_eq!(rule_text(&rule), "2/3 of the whole electorate, quorum 1/2 of the electorate");
        let double = Rule { basis: Basis::Cast, double_majority: true, ..rule };
        assert_eq!(
            rule_text(&double),
            "2/3 of the votes cast (yes and no), quorum 1/2 of the electorate, and 2/3 of the contingents voting \
             (double majority)"
        );
    }
}
