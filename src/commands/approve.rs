//! `tribune approve`: seal a passing statement with a signed tag anyone can recount.

use super::Ctx;
use crate::error::fail;
use crate::output::print_json;
use crate::statements::{self, Status};
use anyhow::Result;

/// Approve a joint statement that passed: the signed tag `statements/<slug>`.
///
/// After the deadline, or before it once the members who have not voted can no longer
/// change the outcome (approving closes the vote), a passing tally is sealed: a tally commit
/// whose parents are the proposal and every counted ballot (so the ballots stay reachable
/// after any ref is deleted), and an annotated tag on it, SSH-signed by the approving
/// member, whose message carries the counts, the rule and every counted ballot. Anyone can
/// recount it with `tribune verify`, and check the signature with `git tag -v`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The statement's slug.
    #[arg(value_name = "STATEMENT")]
    pub statement: String,
    #[command(flatten)]
    pub signing: super::vote::SignAs,
    /// Print the approval as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Approved {
    statement: String,
    tag: String,
    tag_id: String,
    tally_commit: String,
    counts: crate::model::vote::Counts,
    approved_by: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let repo = &commons.repo;
    let proposal = statements::find(&commons, &args.statement)?;
    let slug = proposal.slug.clone();
    let tagger = repo.identity("COMMITTER")?;
    if let Some(id) = repo.ref_target(&statements::tag_ref(&slug))? {
        if statements::verify_tag(&commons, &slug, id)?.problems.is_empty() {
            return Err(fail(
                format!("{slug} is already approved: tag {} ({})", statements::tag_name(&slug), id.short(10)),
                format!("check it with `tribune verify {slug}`"),
            ));
        }
        return Err(fail(
            format!("the tag {} ({}) exists but is not a valid approval", statements::tag_name(&slug), id.short(10)),
            format!(
                "read what is wrong with `tribune verify {slug}`, then remove it with `git tag -d statements/{slug}` \
                 and approve again"
            ),
        ));
    }
    proposal.refuse_if_amended(
        "the text voted on",
        "",
        "restore the proposed text on the trunk before approving; an amended text needs a new proposal",
    )?;
    let member = crate::commons::actor::member_for(&commons, args.signing.member.as_deref(), "approve")?;
    let keys = statements::electorate_keys(&commons, &proposal, &member, "approve")?;
    let signer = crate::commons::actor::signer_for(&commons, &member, &keys, args.signing.key.as_deref())?;
    let sealed = statements::seal(&commons, &proposal, &member, &signer, &tagger)?;
    let (t, tag, tally_commit) = (&sealed.tally, sealed.tag, sealed.tally_commit);
    let c = &t.counts;
    let counted = t.ballots.iter().filter(|b| b.status == Status::Counted).count();
    if args.json {
        return print_json(&Approved {
            statement: slug,
            tag: statements::tag_name(&proposal.slug),
            tag_id: tag.to_string(),
            tally_commit: tally_commit.to_string(),
            counts: *c,
            approved_by: member,
        });
    }
    crate::output::print_prose(
        &ctx.style,
        &format!(
            "Approved {slug}: tag {} ({}), signed by {member}.\n{} yes, {} no, {} abstain of {}; {} kept reachable by \
         the tally commit {}.\n{}\nAnyone can recount it: `tribune verify {slug}`",
            statements::tag_name(&slug),
            tag.short(10),
            c.yes,
            c.no,
            c.abstain,
            crate::output::count(c.electorate, "member", "members"),
            crate::output::count(counted as u64, "ballot", "ballots"),
            tally_commit.short(10),
            crate::output::verification::lines(&t.outcome.arithmetic, "\n"),
        ),
    )
}
