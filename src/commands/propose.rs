//! `tribune propose`: put a joint statement to the vote.

use super::Ctx;
use crate::commons::{message, Change};
use crate::error::fail;
use crate::governance::{self, rules::Breach};
use crate::model::statement::{format_deadline, parse_deadline, Enactment, Fill, Statement};
use crate::model::vote::{Basis, Ratio};
use crate::model::{id, layout};
use crate::output::{print, print_json, time};
use crate::statements;
use anyhow::Result;
use std::path::PathBuf;

/// Propose a joint statement: nothing goes out in the name of the whole organisation
/// without a supermajority vote.
///
/// FILE is the statement's text, Markdown, with optional TOML front matter between `+++`
/// lines (title, deadline, threshold, basis, quorum). It is committed on the trunk at
/// `statements/<slug>/index.md` with every field of the voting rule filled in (from the
/// flags, else tribune.toml's `[voting]` defaults), so the rule cannot change afterwards.
/// The electorate is the roster at this commit: members added later cannot vote on it.
///
/// The rule may be stricter than the organisation's floors (tribune.toml `[rules]`), never
/// looser: a threshold or quorum below the floor, a weaker basis, a deadline too soon, or no
/// double majority where the rules require one is refused before anything is written.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The statement: a Markdown file, or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The title, when the file has no front matter.
    #[arg(long)]
    pub title: Option<String>,
    /// The statement's slug (default: made from the title).
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// When voting closes, RFC 3339 (e.g. 2026-12-01T18:00:00Z); default: 7 days from now. At
    /// least the organisation's minimum voting period (tribune.toml [rules] min_period) away.
    #[arg(long, value_name = "TIME")]
    pub deadline: Option<String>,
    /// The share of votes needed, as an exact fraction (2/3, 3/4, 1/2); default from tribune.toml;
    /// never below its [rules] min_threshold.
    #[arg(long, value_name = "P/Q")]
    pub threshold: Option<String>,
    /// What the threshold is a share of: `cast` (yes and no votes) or `members` (the whole
    /// electorate); default from tribune.toml; `cast` is refused when [rules] min_basis is
    /// `members`.
    #[arg(long, value_name = "BASIS")]
    pub basis: Option<String>,
    /// The share of the electorate that must cast a ballot (abstentions count), as a fraction;
    /// default from tribune.toml; never below its [rules] min_quorum.
    #[arg(long, value_name = "P/Q")]
    pub quorum: Option<String>,
    /// Require a double majority: the threshold met both by the members and by the
    /// contingents (a contingent counts as yes when more of its members voting yes or no vote
    /// yes). The default when tribune.toml's [rules] double_majority is true.
    #[arg(long)]
    pub double_majority: bool,
    /// Record this member as the proposer (default: the member with git's user.email, if any;
    /// in a founded commons, the member whose key signs).
    #[arg(long = "as", value_name = "MEMBER")]
    pub member: Option<String>,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the proposal as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Proposed {
    statement: String,
    commit: String,
    text: String,
    title: String,
    deadline: String,
    rule: crate::model::vote::Rule,
    electorate: usize,
}

/// Seven days, the default time to vote.
const DEFAULT_VOTING_SECONDS: i64 = 7 * 24 * 3600;

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let name = args.file.display().to_string();
    let bytes = crate::articles::contribute::read_limited(&args.file, 1024 * 1024)?;
    let text = crate::model::article::utf8(&name, &bytes)?;
    let now = crate::git::commit_time()?.seconds;
    let deadline = match &args.deadline {
        Some(d) => Some(parse_deadline(d).ok_or_else(|| {
            crate::error::usage(
                format!("--deadline {d:?} is not a time"),
                "write it in RFC 3339, e.g. 2026-12-01T18:00:00Z (or a date, meaning midnight UTC)",
            )
        })?),
        None => None,
    };
    // Flags are checked here so that a bad one is named as a flag.
    for (flag, v) in [("--threshold", &args.threshold), ("--quorum", &args.quorum)] {
        if let Some(v) = v {
            Ratio::parse(flag.trim_start_matches('-'), v)
                .map_err(|e| crate::error::usage(e.message, e.hint.unwrap_or_default()))?;
        }
    }
    if let Some(b) = &args.basis {
        Basis::parse(b).map_err(|e| crate::error::usage(e.message, e.hint.unwrap_or_default()))?;
    }
    // Signed when the proposer has a key; in a founded commons, by a member of the
    // authorised roster (the proposer), or refused.
    let actor = crate::commons::actor::Actor::new(&commons, args.signing.key.as_deref())?;
    let proposer = if actor.founded() {
        let Some(me) = actor.member(&commons)? else {
            return Err(fail(
                "a proposal in a founded commons is signed by a member of its roster",
                "sign with your key: --key FILE (or git's user.signingkey with gpg.format=ssh)",
            ));
        };
        if args.member.as_ref().is_some_and(|m| *m != me.id) {
            return Err(fail(
                format!("the signing key is {}'s, not {}'s", me.id, args.member.clone().unwrap_or_default()),
                "propose as the member whose key signs: leave out --as, or sign with that member's key",
            ));
        }
        Some(me.id)
    } else {
        match &args.member {
            Some(m) => Some(m.clone()),
            None => crate::commons::actor::member_by_email(&commons)?,
        }
    };
    let signer = actor.signer.clone();
    let founded = actor.founded();
    let v = &commons.config.voting;
    // The floors in force for a proposal made now: the rules at the trunk's tip, which will
    // be the proposal's parent (checked again if the trunk moves before the commit).
    let tip = commons.trunk_tip()?;
    let rules = governance::rules::at(&commons, tip)?;
    let flags = Fill {
        title: args.title.clone(),
        deadline,
        threshold: args.threshold.clone(),
        basis: args.basis.clone(),
        quorum: args.quorum.clone(),
        double_majority: args.double_majority.then_some(true),
        proposed_by: args.member.clone(),
    };
    let defaults = Fill {
        title: None,
        deadline: chrono::DateTime::from_timestamp(now + DEFAULT_VOTING_SECONDS, 0),
        threshold: Some(v.threshold.clone()),
        basis: Some(v.basis.clone()),
        quorum: Some(v.quorum.clone()),
        double_majority: rules.double_majority.then_some(true),
        proposed_by: proposer.clone(),
    };
    let full = Statement::complete(&name, text, &flags, &defaults)?;
    let statement = Statement::parse(&name, &full)?;
    if statement.deadline.timestamp() <= now {
        return Err(fail(
            format!("the deadline {} has already passed", time(&statement.deadline)),
            "give a later --deadline (RFC 3339, e.g. 2026-12-01T18:00:00Z)",
        ));
    }
    let parent_time =
        |parent: crate::git::Oid| -> Result<i64> { Ok(commons.repo.commit(parent)?.committer.when.seconds) };
    refuse_below_floors(&rules, &statement, now.max(parent_time(tip)?), now)?;
    let slug = match &args.slug {
        Some(s) => s.clone(),
        None => id::slugify(&statement.title),
    };
    id::validate("statement slug", &slug)?;
    let path = layout::statement_text(&slug);
    if commons.repo.ref_target(&statements::tag_ref(&slug))?.is_some() {
        return Err(fail(
            format!("a statement {slug:?} was already approved (tag {})", statements::tag_name(&slug)),
            "choose another slug with --slug",
        ));
    }
    let (commit, blob) = commons.commit_on_trunk(|snap| {
        // The trunk moved since the check: the floors are the new parent's.
        if let Some(parent) = snap.commit.filter(|p| *p != tip) {
            let rules = governance::rules::at(&commons, parent)?;
            refuse_below_floors(&rules, &statement, now.max(parent_time(parent)?), now)?;
        }
        if snap.exists(&path)? {
            return Err(fail(
                format!("a statement {slug:?} has already been proposed"),
                "choose another slug with --slug; a proposed text cannot be changed, propose a new one",
            ));
        }
        // What the statement would enact must be possible on the roster as it is.
        let mut added = std::collections::BTreeSet::new();
        for e in &statement.enacts {
            let refused = match e {
                Enactment::AddContingent { contingent, .. } => {
                    added.insert(contingent.clone());
                    snap.contingent(contingent)?.is_some().then(|| format!("adds the contingent {contingent}, which is in the roster already"))
                }
                Enactment::RemoveContingent { contingent } => snap
                    .contingent(contingent)?
                    .is_none()
                    .then(|| format!("removes the contingent {contingent}, which is not in the roster")),
                Enactment::AddMember { member, contingent, .. } => {
                    if snap.member(member)?.is_some() {
                        Some(format!("adds the member {member}, who is in the roster already"))
                    } else if snap.contingent(contingent)?.is_none() && !added.contains(contingent) {
                        Some(format!("adds the member {member} to the contingent {contingent}, which is not in the roster nor added before it"))
                    } else {
                        None
                    }
                }
                Enactment::Rules { .. } => None,
            };
            if let Some(why) = refused {
                return Err(fail(format!("{name}: the statement {why}"), "correct its [[enacts]] entries"));
            }
        }
        if let Some(p) = &proposer {
            // In a founded commons the proposer is the authorised member whose key signs,
            // whatever the tree's files say.
            if !founded && snap.member(p)?.is_none() {
                return Err(fail(format!("there is no member {p:?} in the roster"), "check --as"));
            }
        }
        let blob = crate::git::Oid::hash_blob(full.as_bytes())?;
        let mut change = Change::new(message(
            &format!("propose: {}", statement.title),
            &[("Action", "propose"), ("Statement", &slug)],
        ))
        .put(path.clone(), full.clone().into_bytes());
        change.signer = signer.clone();
        Ok((change, blob))
    })?;
    // The electorate is the authorised roster at the proposal (invalid entries left out).
    let electorate = crate::governance::audit::authority_at(&commons, commit)?.members.len();
    if args.json {
        return print_json(&Proposed {
            statement: slug,
            commit: commit.to_string(),
            text: blob.to_string(),
            title: statement.title,
            deadline: format_deadline(statement.deadline),
            rule: statement.rule,
            electorate,
        });
    }
    print(&crate::output::here::here(&format!(
        "Proposed {slug} in {} (text {}).\nRule: {}; voting closes {}.\nElectorate: the authorised roster now, {}.\n\
         Vote with `tribune vote {slug} yes|no|abstain`; count with `tribune tally {slug}`.",
        commit.short(10),
        blob.short(10),
        statements::rule_text(&statement.rule),
        time(&statement.deadline),
        crate::output::count(electorate as u64, "member", "members"),
    )))
}

/// Refuses a rule looser than the organisation's floors: every breach in the message, and in
/// the hint what would meet them.
fn refuse_below_floors(
    rules: &crate::model::config::Rules,
    statement: &Statement,
    proposed_at: i64,
    now: i64,
) -> Result<()> {
    let breaches = governance::rules::judge(rules, statement, proposed_at);
    if breaches.is_empty() {
        return Ok(());
    }
    let fixes: Vec<String> = breaches
        .iter()
        .map(|b| match b {
            Breach::Threshold { floor, .. } => format!("--threshold {floor} or more"),
            Breach::Quorum { floor, .. } => format!("--quorum {floor} or more"),
            Breach::Basis { floor, .. } => format!("--basis {floor}"),
            Breach::Period { floor, .. } => {
                let earliest = chrono::DateTime::from_timestamp(proposed_at.max(now).saturating_add(*floor as i64), 0)
                    .map(|d| time(&d))
                    .unwrap_or_default();
                format!("a --deadline of {earliest} or later")
            }
            Breach::DoubleMajority => "--double-majority".to_string(),
            Breach::Unreadable { .. } => "rules that can be read".to_string(),
        })
        .collect();
    Err(fail(
        breaches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        format!(
            "a proposal may be stricter than the organisation's floors, never looser: give {} (in the file's front \
             matter or as flags); `man 5 tribune-format` describes [rules]",
            fixes.join(", ")
        ),
    ))
}
