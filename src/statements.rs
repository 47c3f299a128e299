//! Joint statements: the proposal, the ballots, the tally, and the approval tag from which
//! anyone can recount.
//!
//! Nothing here trusts whoever ran a count. A ballot is a commit signed by a member's own
//! key on the member's own ref; the electorate is the roster at the proposal commit; every
//! check is redone from git objects each time, with exact integer arithmetic.

use crate::commons::Commons;
use crate::error::fail;
use crate::git::{CommitInfo, Oid, Repo, TagInfo};
use crate::keyring::{KeyRing, Signed};
use crate::model::layout;
use crate::model::roster::Member;
use crate::model::statement::{format_deadline, Statement};
use crate::model::vote::{decide, decided, Counts, Outcome};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub const BALLOT_REFS: &str = "refs/tribune/ballots/";
pub const TAG_REFS: &str = "refs/tags/statements/";

/// How far ahead of this machine's clock another machine's may be (seconds) before a tag
/// dated in the future is called out.
const CLOCK_SKEW: i64 = 300;

pub fn ballot_ref(slug: &str, member: &str) -> String {
    format!("{BALLOT_REFS}{slug}/{member}")
}
pub fn tag_ref(slug: &str) -> String {
    format!("{TAG_REFS}{slug}")
}
/// The tag's own name (what `git tag -v` takes).
pub fn tag_name(slug: &str) -> String {
    format!("statements/{slug}")
}

/// A vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Choice> {
        match s.trim() {
            "yes" => Some(Choice::Yes),
            "no" => Some(Choice::No),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }
}

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

/// A statement as proposed: the commit that added its text, and the text's rule.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub slug: String,
    pub commit: Oid,
    /// When the proposal was committed (seconds).
    pub proposed_at: i64,
    /// The blob id of the text voted on.
    pub text: Oid,
    pub statement: Statement,
    /// The trunk's text now, when it differs from the proposed one (changed by a later commit).
    pub amended: Option<Oid>,
}

impl Proposal {
    pub fn deadline(&self) -> i64 {
        self.statement.deadline.timestamp()
    }
}

/// The slugs of the statements on the trunk.
pub fn slugs(commons: &Commons) -> Result<Vec<String>> {
    let tree = commons.repo.commit_tree(commons.trunk_tip()?)?;
    Ok(commons.repo.list_dir(tree, layout::STATEMENTS)?.into_iter().filter(|e| e.is_tree).map(|e| e.name).collect())
}

/// Finds a statement's proposal: the trunk commit that added its text. The walk follows
/// first parents from the trunk tip and stops there, so it never reads older history.
pub fn find(commons: &Commons, slug: &str) -> Result<Proposal> {
    crate::model::id::validate("statement", slug)?;
    let repo = &commons.repo;
    let path = layout::statement_text(slug);
    let tip = commons.trunk_tip()?;
    let Some(now) = repo.entry_at(repo.commit_tree(tip)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id) else {
        let known = slugs(commons)?;
        let hint = if known.is_empty() {
            "no statement has been proposed yet: propose one with `tribune propose FILE`".to_string()
        } else {
            format!("the statements are: {}; `tribune statements` lists them", known.join(", "))
        };
        return Err(fail(format!("there is no statement {slug:?} on the trunk"), hint));
    };
    let dir = format!("{}/{slug}", layout::STATEMENTS);
    let mut current = tip;
    let mut current_dir = repo.entry_at(repo.commit_tree(tip)?, &dir)?.map(|e| e.id);
    let mut blob = now;
    loop {
        let info = repo.commit(current)?;
        // The first parent, unless the text came in through another parent of a merge (a
        // plain `git pull` puts the local side first): follow the parent that has it.
        let mut parent = info.parents.first().copied();
        if info.parents.len() > 1 {
            let has = |p: Oid| -> Result<Option<Oid>> {
                Ok(repo.entry_at(repo.commit_tree(p)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id))
            };
            let mut with_text = None;
            for p in &info.parents {
                match has(*p)? {
                    Some(b) if b == blob => {
                        with_text = Some(*p);
                        break;
                    }
                    Some(_) if with_text.is_none() => with_text = Some(*p),
                    _ => {}
                }
            }
            if with_text.is_some() {
                parent = with_text;
            }
        }
        let parent_dir = match parent {
            Some(p) => repo.entry_at(repo.commit_tree(p)?, &dir)?.map(|e| e.id),
            None => None,
        };
        let parent_blob = match (parent, parent_dir == current_dir) {
            (Some(_), true) => Some(blob),
            (Some(p), false) => repo.entry_at(repo.commit_tree(p)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id),
            (None, _) => None,
        };
        match (parent, parent_blob) {
            (Some(p), Some(b)) => {
                current = p;
                current_dir = parent_dir;
                blob = b;
            }
            _ => {
                // A statement keeps the identity of its first proposal: a file removed and
                // added again after its approval is the same statement, not a new vote, when
                // the approval names an earlier proposal that this history holds.
                let (commit, blob, proposed_at) = match earlier_proposal(commons, slug, current)? {
                    Some((earlier, text)) => (earlier, text, repo.commit(earlier)?.committer.when.seconds),
                    None => (current, blob, info.committer.when.seconds),
                };
                let text = String::from_utf8_lossy(&repo.read_blob(blob)?).into_owned();
                let statement = Statement::parse(&path, &text).with_context(|| {
                    format!("the proposal of {slug} (commit {}) is not a valid statement", commit.short(10))
                })?;
                return Ok(Proposal {
                    slug: slug.to_string(),
                    commit,
                    proposed_at,
                    text: blob,
                    statement,
                    amended: (now != blob).then_some(now),
                });
            }
        }
    }
}

/// An earlier proposal of `slug` than `found` (the commit that added its present file), as
/// named by its approval tag: a commit that is an ancestor of `found`, and that added the
/// statement's file. One read when there is a tag, none when there is not: `vote` and
/// `tally` run this on every call. (The ballots of an open vote name their proposal too,
/// but reading every ballot ref on each vote costs 17 ms at 10,000 ballots; the removal of
/// a statement file before its approval is for the trunk's audit to refuse.)
fn earlier_proposal(commons: &Commons, slug: &str, found: Oid) -> Result<Option<(Oid, Oid)>> {
    let repo = &commons.repo;
    let path = layout::statement_text(slug);
    let mut named: Vec<Oid> = Vec::new();
    let mut name = |message: &str| {
        for (k, v) in crate::git::trailers(message) {
            if k == "Tribune-Proposal" {
                if let Ok(id) = v.parse::<Oid>() {
                    if id != found && !named.contains(&id) {
                        named.push(id);
                    }
                }
            }
        }
    };
    if let Some(id) = repo.ref_target(&tag_ref(slug))? {
        if let Ok(Some(tag)) = repo.read_tag(id) {
            name(&tag.message);
        }
    }
    let text_at = |c: Oid| -> Result<Option<Oid>> {
        Ok(repo.entry_at(repo.commit_tree(c)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id))
    };
    let mut best: Option<(Oid, Oid)> = None;
    for id in named {
        if !repo.has_object(id) || repo.commit_if_commit(id)?.is_none() || !repo.is_ancestor(id, found)? {
            continue;
        }
        let Some(text) = text_at(id)? else { continue };
        let parents = repo.commit(id)?.parents;
        // It must have added the file: no parent had it.
        let mut added = true;
        for p in parents {
            if text_at(p)?.is_some() {
                added = false;
            }
        }
        if !added {
            continue;
        }
        best = match best {
            Some((b, t)) if !repo.is_ancestor(id, b)? => Some((b, t)),
            _ => Some((id, text)),
        };
    }
    Ok(best)
}

/// The members of the roster in a tree, read and parsed on every core.
pub fn members_at(repo: &Repo, tree: Oid) -> Result<Vec<Member>> {
    let entries: Vec<(String, Oid)> = repo
        .list_dir(tree, layout::MEMBERS)?
        .into_iter()
        .filter(|e| !e.is_tree && e.name.ends_with(".toml"))
        .map(|e| (e.name, e.id))
        .collect();
    let parsed = repo.par_map(&entries, 500, |repo, (name, id)| {
        let text = String::from_utf8_lossy(&repo.read_blob(*id)?).into_owned();
        Ok(Member::parse(name.trim_end_matches(".toml"), &format!("{}/{name}", layout::MEMBERS), &text)?)
    })?;
    Ok(parsed)
}

/// One member as the roster in `tree` has them.
pub fn member_at(repo: &Repo, tree: Oid, id: &str) -> Result<Option<Member>> {
    let path = layout::member(id);
    match repo.blob_at(tree, &path)? {
        Some((_, data)) => Ok(Some(Member::parse(id, &path, &String::from_utf8_lossy(&data))?)),
        None => Ok(None),
    }
}

/// Why `member` is not in a proposal's electorate (read without loading the whole roster).
pub fn outsider(commons: &Commons, member: &str) -> Result<String> {
    Ok(outsider_message(member, commons.snapshot()?.member(member)?.is_some()))
}

fn outsider_message(member: &str, joined_later: bool) -> String {
    if joined_later {
        format!("{member} joined the roster after the proposal, so is not in its electorate")
    } else {
        format!("{member} was not in the roster when the statement was proposed")
    }
}

/// The members entitled to vote on a proposal: the roster at the proposal commit.
pub struct Electorate {
    pub members: BTreeMap<String, Member>,
    pub keys: KeyRing,
    /// The roster now, when it differs: to say that someone joined after the proposal.
    later: Option<(BTreeMap<String, Member>, KeyRing)>,
}

impl Electorate {
    pub fn load(commons: &Commons, proposal: &Proposal) -> Result<Electorate> {
        let repo = &commons.repo;
        let at = repo.commit_tree(proposal.commit)?;
        let members: BTreeMap<String, Member> = members_at(repo, at)?.into_iter().map(|m| (m.id.clone(), m)).collect();
        let keys = KeyRing::new(members.values());
        let now = repo.commit_tree(commons.trunk_tip()?)?;
        let roster_at = |t: Oid| repo.entry_at(t, layout::MEMBERS).map(|e| e.map(|e| e.id));
        // The roster now only words messages ("joined after the proposal"): a broken file
        // added later must not stop a count that does not depend on it.
        let later = if roster_at(at)? == roster_at(now)? {
            None
        } else {
            match members_at(repo, now) {
                Ok(members) => {
                    let m: BTreeMap<String, Member> = members.into_iter().map(|m| (m.id.clone(), m)).collect();
                    let k = KeyRing::new(m.values());
                    Some((m, k))
                }
                Err(_) => Some((BTreeMap::new(), KeyRing::default())),
            }
        };
        Ok(Electorate { members, keys, later })
    }

    pub fn size(&self) -> u64 {
        self.members.len() as u64
    }

    /// Why `member` is not in the electorate.
    pub fn outsider(&self, member: &str) -> String {
        outsider_message(member, self.later.as_ref().is_some_and(|(m, _)| m.contains_key(member)))
    }

    /// Who owns a key that is not in the electorate, if anyone does now.
    fn later_owner(&self, signature: &[u8]) -> Option<String> {
        self.later.as_ref().and_then(|(_, k)| k.owner_of(signature).map(str::to_string))
    }
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
        Some(format!("cast at {} after {}", ballot.at, rules.closing_name))
    } else if ballot.seconds > rules.now {
        Some(format!(
            "dated {}, in the future (the count is made at {}): it counts once its time has come",
            ballot.at,
            rfc3339(rules.now)
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
    pub problems: Vec<String>,
}

/// Reads the approval tag of a statement, if there is one.
pub fn approval(repo: &Repo, electorate: &Electorate, slug: &str) -> Result<Option<(Approval, TagInfo)>> {
    let Some(id) = repo.ref_target(&tag_ref(slug))? else { return Ok(None) };
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
    pub counts: Counts,
    pub outcome: Outcome,
    /// True while ballots can still be cast (before the deadline and any approval).
    pub open: bool,
    /// While open: Some(true) when it will pass whatever the members who have not voted
    /// do, Some(false) when it will fail, None when they can still decide it.
    pub decided: Option<bool>,
    /// `open`, `passes`, `fails`, or `approved`.
    pub result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The trunk's text when it was changed after the proposal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended: Option<String>,
    pub ballots: Vec<Ballot>,
}

/// Tallies a statement from its ballot refs. `now` decides whether voting is still open;
/// `assume_approval_at` counts as if the statement were approved at that time.
pub fn tally(commons: &Commons, proposal: &Proposal, now: i64, assume_approval_at: Option<i64>) -> Result<Tally> {
    let repo = &commons.repo;
    let electorate = Electorate::load(commons, proposal)?;
    let mut approval = approval(repo, &electorate, &proposal.slug)?.map(|(a, _)| a);
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
        Some(t) if t < deadline => (t, format!("the approval at {}", rfc3339(t))),
        _ => (deadline, format!("the deadline {}", format_deadline(proposal.statement.deadline))),
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
    let outcome = decide(&rule, &counts);
    let open = now < closing && approved_at.is_none();
    let decided_now = if open { decided(&rule, &counts) } else { Some(outcome.passes) };
    let result = if approval.as_ref().is_some_and(|a| a.signed_by.is_some()) {
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
        counts,
        outcome,
        open,
        decided: decided_now,
        result: result.to_string(),
        approval,
        amended: proposal.amended.map(|a| a.to_string()),
        ballots,
    })
}

pub fn rfc3339(seconds: i64) -> String {
    crate::git::Timestamp { seconds, offset_minutes: 0 }.rfc3339_utc()
}

/// The message of an approval tag: a readable summary, then every figure and every counted
/// ballot as trailers, so that `verify` can compare them with a recount.
pub fn tag_message(t: &Tally, approver: &str) -> String {
    message_for(&t.statement, &t.title, &t.proposal, &t.text, &t.rule, &t.counts, &t.outcome, &t.ballots, approver)
}

/// [`tag_message`] from its parts: `verify` rebuilds it from a recount and compares bytes.
#[allow(clippy::too_many_arguments)]
fn message_for(
    statement: &str,
    title: &str,
    proposal: &str,
    text: &str,
    rule: &crate::model::vote::Rule,
    c: &Counts,
    outcome: &Outcome,
    ballots: &[Ballot],
    approver: &str,
) -> String {
    let mut m = format!(
        "Statement {statement} approved: {title}\n\n{} yes, {} no, {} abstain; {} of {} members voted.\nRule: {}.\n",
        c.yes,
        c.no,
        c.abstain,
        c.voted(),
        c.electorate,
        rule_text(rule)
    );
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
        ("Approved-By", approver.to_string()),
    ];
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

/// "2/3 of the votes cast (yes and no), quorum 1/2 of the electorate".
pub fn rule_text(rule: &crate::model::vote::Rule) -> String {
    let basis = match rule.basis {
        crate::model::vote::Basis::Cast => "of the votes cast (yes and no)",
        crate::model::vote::Basis::Members => "of the whole electorate",
    };
    format!("{} {basis}, quorum {} of the electorate", rule.threshold, rule.quorum)
}

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
    pub problems: Vec<String>,
    /// What holds but is worth saying (ballots the tag left out that cannot change it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The ballots reachable from the tag, as the recount judged them.
    #[serde(skip)]
    pub ballots: Vec<Ballot>,
}

/// Recounts a statement from the ballots reachable from its approval tag and compares with
/// what the tag says. Problems are collected, not returned as errors, so that one report
/// names every difference.
pub fn verify(commons: &Commons, slug: &str) -> Result<Verification> {
    match commons.repo.ref_target(&tag_ref(slug))? {
        Some(tag_id) => verify_tag(commons, slug, tag_id),
        None => Ok(Verification::failed(
            slug,
            format!("there is no tag {}: the statement has not been approved", tag_name(slug)),
        )),
    }
}

impl Verification {
    /// A verification that found `problem` before it could recount.
    pub fn failed(slug: &str, problem: String) -> Verification {
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

/// [`verify_tag`] with the proposal and electorate when the caller has read them already.
fn verify_tag_with(
    commons: &Commons,
    slug: &str,
    tag_id: Oid,
    known: Option<(&Proposal, &Electorate)>,
) -> Result<Verification> {
    let repo = &commons.repo;
    let mut v = Verification::failed(slug, String::new());
    v.problems.clear();
    let Some(tag) = repo.read_tag(tag_id)? else {
        v.problems.push(format!("{} is a lightweight tag, not a signed annotated tag", tag_name(slug)));
        return Ok(v);
    };
    let said: HashMap<String, String> = crate::git::trailers(&tag.message)
        .into_iter()
        .filter(|(k, _)| *k != "Tribune-Ballot")
        .map(|(k, val)| (k.to_string(), val.to_string()))
        .collect();
    let said_ballots: BTreeMap<String, (String, String)> = crate::git::trailers(&tag.message)
        .into_iter()
        .filter(|(k, _)| *k == "Tribune-Ballot")
        .filter_map(|(_, val)| {
            let mut parts = val.split_whitespace();
            Some((parts.next()?.to_string(), (parts.next()?.to_string(), parts.next()?.to_string())))
        })
        .collect();
    let get = |k: &str| said.get(&format!("Tribune-{k}")).cloned();
    if tag.name != tag_name(slug) {
        v.problems.push(format!("the tag object is named {:?}, not {:?}", tag.name, tag_name(slug)));
    }
    if get("Statement").as_deref() != Some(slug) {
        v.problems
            .push(format!("the tag is for the statement {:?}, not {slug:?}", get("Statement").unwrap_or_default()));
    }
    // The proposal the tag names, and the one the trunk has now.
    let named: Option<Oid> = get("Proposal").and_then(|p| p.parse().ok());
    let Some(named) = named.filter(|p| repo.has_object(*p)) else {
        v.problems.push("the tag names no proposal commit that exists here".to_string());
        return Ok(v);
    };
    let found;
    let proposal: &Proposal = match known {
        Some((p, _)) => p,
        None => match find(commons, slug) {
            Ok(p) => {
                found = p;
                &found
            }
            Err(e) => {
                v.problems.push(format!("the statement's proposal cannot be read from the trunk: {e:#}"));
                return Ok(v);
            }
        },
    };
    if proposal.commit != named {
        v.problems.push(format!(
            "the tag names the proposal {}, but the trunk's proposal of {slug} is {}",
            named.short(10),
            proposal.commit.short(10)
        ));
    }
    if get("Text").as_deref() != Some(proposal.text.to_string().as_str()) {
        v.problems.push(format!(
            "the tag approves the text {}, but the proposed text is {}",
            get("Text").unwrap_or_default(),
            proposal.text
        ));
    }
    if let Some(now) = proposal.amended {
        v.problems.push(format!(
            "the statement's text on the trunk ({}) is not the text voted on ({}): it was changed after the proposal",
            now.short(10),
            proposal.text.short(10)
        ));
    }
    let loaded;
    let electorate: &Electorate = match known {
        Some((_, e)) => e,
        None => {
            loaded = Electorate::load(commons, proposal)?;
            &loaded
        }
    };
    // The signature: by a member of the electorate, and the member the tag names.
    let (sig, data) = match &tag.signature {
        Some((s, d)) => (Some(s.as_slice()), d.as_slice()),
        None => (None, &[][..]),
    };
    match electorate.keys.check(sig, data) {
        Signed::By { member, valid: true } => {
            if get("Approved-By").as_deref() != Some(member.as_str()) {
                v.problems.push(format!(
                    "the tag says it was approved by {:?} but is signed with {member}'s key",
                    get("Approved-By").unwrap_or_default()
                ));
            }
            v.signed_by = Some(member);
        }
        Signed::By { valid: false, .. } => {
            v.problems.push("the tag's signature does not match the tag (altered after signing?)".into())
        }
        Signed::Shared(ms) => v.problems.push(format!(
            "the tag is signed with a key that several members list ({}), so it cannot show who signed",
            ms.join(", ")
        )),
        Signed::Unsigned => v.problems.push("the tag is not signed".into()),
        Signed::Malformed(why) => v.problems.push(format!("the tag's signature is broken: {why}")),
        Signed::UnknownKey => v.problems.push(match sig.and_then(|s| electorate.later_owner(s)) {
            Some(m) => format!("the tag is signed by {m}, who joined the roster after the proposal"),
            None => "the tag is signed with a key that belongs to no member of the electorate".into(),
        }),
    }
    // The rule in the tag must be the proposal's.
    let rule = proposal.statement.rule;
    for (k, want) in [
        ("Threshold", rule.threshold.to_string()),
        ("Basis", rule.basis.to_string()),
        ("Quorum", rule.quorum.to_string()),
    ] {
        if get(k).as_deref() != Some(want.as_str()) {
            v.problems.push(format!(
                "the tag says {} {:?}, but the proposal fixed {want:?}",
                k.to_lowercase(),
                get(k).unwrap_or_default()
            ));
        }
    }
    // Recount from the ballots the tally commit keeps reachable.
    if tag.target_kind != "commit" {
        v.problems.push(format!("the tag points at a {}, not a tally commit", tag.target_kind));
        return Ok(v);
    }
    let tally_commit = repo.commit(tag.target)?;
    if tally_commit.parents.first() != Some(&named) {
        v.problems.push("the tally commit's first parent is not the proposal".into());
    }
    let mut tips: Vec<(String, Oid)> = Vec::new();
    for p in tally_commit.parents.iter().skip(1) {
        match repo.commit(*p)?.trailer("Tribune-Member") {
            // One ballot per member: a second would be counted twice.
            Some(m) if tips.iter().any(|(t, _)| t == m) => v.problems.push(format!(
                "the tally commit has two ballots of {m} as parents ({} is left out of the recount)",
                p.short(10)
            )),
            Some(m) => tips.push((m.to_string(), *p)),
            None => v.problems.push(format!("the tally commit's parent {} is not a ballot", p.short(10))),
        }
    }
    let Some(approved_at) = tag.tagger.as_ref().map(|t| t.when.seconds) else {
        v.problems.push("the tag has no tagger line, so no approval time: it cannot close a vote".into());
        return Ok(v);
    };
    let now = crate::git::commit_time()?.seconds;
    if approved_at > now + CLOCK_SKEW {
        v.problems.push(format!(
            "the tag is dated {}, in the future (it is now {}): an approval cannot close a vote early by \
             claiming a later time",
            rfc3339(approved_at),
            rfc3339(now)
        ));
    }
    let deadline = proposal.deadline();
    let (closing, closing_name) = if approved_at < deadline {
        (approved_at, format!("the approval at {}", rfc3339(approved_at)))
    } else {
        (deadline, format!("the deadline {}", format_deadline(proposal.statement.deadline)))
    };
    let rules = Rules { proposal, electorate, closing, closing_name, now };
    let ballots = judge_all(repo, &rules, &tips)?;
    let counts = count(&ballots, electorate.size());
    for (k, n) in
        [("Yes", counts.yes), ("No", counts.no), ("Abstain", counts.abstain), ("Electorate", counts.electorate)]
    {
        if get(k).as_deref() != Some(n.to_string().as_str()) {
            v.problems.push(format!(
                "the tag says {} {}, the recount finds {n}",
                get(k).unwrap_or_else(|| "nothing for".into()),
                k.to_lowercase()
            ));
        }
    }
    let counted: BTreeMap<String, &Ballot> =
        ballots.iter().filter(|b| b.status == Status::Counted).map(|b| (b.member.clone(), b)).collect();
    for (member, (commit, choice)) in &said_ballots {
        match counted.get(member) {
            Some(b) if &b.commit == commit && b.choice.map(Choice::as_str) == Some(choice.as_str()) => {}
            Some(b) => v.problems.push(format!(
                "the tag lists {member}'s ballot {} ({choice}), the recount counts {} ({})",
                crate::output::short(commit, 10),
                crate::output::short(&b.commit, 10),
                b.choice.map(Choice::as_str).unwrap_or("?")
            )),
            None => {
                let why = ballots
                    .iter()
                    .find(|b| &b.commit == commit)
                    .and_then(|b| b.reason.clone())
                    .unwrap_or_else(|| "it is not reachable from the tag".into());
                v.problems.push(format!(
                    "the tag counts {member}'s ballot {}, the recount excludes it: {why}",
                    crate::output::short(commit, 10)
                ))
            }
        }
    }
    for member in counted.keys().filter(|m| !said_ballots.contains_key(*m)) {
        v.problems.push(format!("the recount counts a ballot of {member} that the tag does not list"));
    }
    // Ballots on the refs that the tag leaves out: valid ballots cast before the tag closed
    // the vote, which the approver did not have (pushed late) or chose to hide. They void the
    // approval only when they could change its outcome: counted in place of (or beside) what
    // the tag counts, the statement must still pass, and an early approval must still have
    // been decided. Refs deleted since cannot be checked, and need not be.
    let prefix = format!("{BALLOT_REFS}{slug}/");
    let live_tips: Vec<(String, Oid)> = repo
        .refs_with_prefix(&prefix)?
        .into_iter()
        .map(|(name, tip)| (name[prefix.len()..].to_string(), tip))
        .collect();
    if !live_tips.is_empty() {
        let live = judge_all(repo, &rules, &live_tips)?;
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
        if !left_out.is_empty() {
            let mut complete = Counts { electorate: electorate.size(), ..Counts::default() };
            for b in latest.values() {
                match b.choice {
                    Some(Choice::Yes) => complete.yes += 1,
                    Some(Choice::No) => complete.no += 1,
                    Some(Choice::Abstain) => complete.abstain += 1,
                    None => {}
                }
            }
            let with_them = decide(&rule, &complete);
            let early_undecided = approved_at < deadline && decided(&rule, &complete) != Some(true);
            let names: Vec<String> = left_out
                .iter()
                .map(|b| {
                    format!(
                        "{}'s {} ({})",
                        b.member,
                        crate::output::short(&b.commit, 10),
                        b.choice.map(Choice::as_str).unwrap_or("?")
                    )
                })
                .collect();
            if !with_them.passes || early_undecided {
                v.problems.push(format!(
                    "the tag leaves out valid ballots cast before it closed the vote ({}), and counted they change \
                     the outcome: {}",
                    names.join(", "),
                    if with_them.passes {
                        "the approval came before the result was decided".to_string()
                    } else {
                        format!("the statement does not pass ({})", with_them.arithmetic.join("; "))
                    }
                ));
            } else {
                v.notes.push(format!(
                    "the tag leaves out valid ballots cast before it closed the vote ({}); counted, they do not \
                     change the outcome ({} yes, {} no, {} abstain of {}: still passes)",
                    names.join(", "),
                    complete.yes,
                    complete.no,
                    complete.abstain,
                    complete.electorate
                ));
            }
        }
    }
    let outcome = decide(&rule, &counts);
    if !outcome.passes {
        v.problems.push(format!("the recount does not pass: {}", outcome.arithmetic.join("; ")));
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
            &outcome,
            &ballots,
            v.signed_by.as_deref().unwrap_or(""),
        );
        if tag.message != expected {
            let line = tag
                .message
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| tag.message.lines().count().min(expected.lines().count()));
            v.problems.push(format!(
                "the tag's message is not the one its recount gives, from line {}: it says {:?}, the recount {:?}",
                line + 1,
                tag.message.lines().nth(line).unwrap_or(""),
                expected.lines().nth(line).unwrap_or("")
            ));
        }
    }
    if approved_at < deadline && decided(&rule, &counts) != Some(true) {
        v.problems.push(format!(
            "approved at {} before the deadline {}, while the members who had not voted could still change the result",
            rfc3339(approved_at),
            format_deadline(proposal.statement.deadline)
        ));
    }
    v.passes = Some(outcome.passes);
    v.recount = Some(counts);
    v.ballots = ballots;
    Ok(v)
}
