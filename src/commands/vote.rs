//! `tribune vote`: cast a signed ballot on a joint statement.

use super::Ctx;
use crate::commons::actor;
use crate::output::print_json;
use crate::statements::{self, Choice};
use anyhow::Result;
use std::path::PathBuf;

/// Vote on a joint statement.
///
/// Writes a ballot: a commit signed with your SSH key on your own ref,
/// `refs/tribune/ballots/<statement>/<member>`, whose trailers bind it to the proposal
/// commit and to the text voted on, with a sequence number one higher than your previous
/// ballot's. Voting again replaces your earlier ballot (it stays in the ref's history).
/// Refused after the deadline, once the statement is approved, when the trunk's text was
/// changed after the proposal, and for anyone not in the roster when it was proposed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The statement's slug (see `tribune statements`).
    #[arg(value_name = "STATEMENT")]
    pub statement: String,
    /// Your vote.
    #[arg(value_enum, value_name = "CHOICE")]
    pub choice: Choice,
    /// A comment kept in the ballot.
    #[arg(long)]
    pub comment: Option<String>,
    #[command(flatten)]
    pub signing: SignAs,
    /// Print the ballot as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Who acts, and the key they sign with (for `vote` and `approve`).
#[derive(Debug, clap::Args)]
pub struct SignAs {
    /// Act as this member (default: the member whose email is git's user.email).
    #[arg(long = "as", value_name = "MEMBER")]
    pub member: Option<String>,
    /// Sign with this key: an unencrypted OpenSSH private key (signed natively), a key with a
    /// passphrase, or a .pub file whose private key is in ssh-agent (both signed through
    /// `ssh-keygen -Y sign`, as git does). Default: git's user.signingkey with gpg.format=ssh.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(serde::Serialize)]
struct Cast {
    statement: String,
    member: String,
    choice: Choice,
    seq: u64,
    commit: String,
    #[serde(rename = "ref")]
    refname: String,
    replaces: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let proposal = statements::find(&commons, &args.statement)?;
    let slug = proposal.slug.clone();
    let committer = commons.repo.identity("COMMITTER")?;
    let author = commons.repo.identity("AUTHOR")?;
    let now = committer.when.seconds;
    statements::open_for_votes(&commons, &proposal, now)?;
    let member = actor::member_for(&commons, args.signing.member.as_deref(), "vote")?;
    let keys = statements::electorate_keys(&commons, &proposal, &member, "vote on")?;
    let signer = actor::signer_for(&commons, &member, &keys, args.signing.key.as_deref())?;
    let comment = args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let cast = statements::cast(&commons, &proposal, &member, args.choice, comment, &signer, &author, &committer)?;
    if args.json {
        return print_json(&Cast {
            statement: slug,
            member,
            choice: args.choice,
            seq: cast.seq,
            commit: cast.commit.to_string(),
            refname: cast.refname,
            replaces: cast.previous.map(|p| p.id.to_string()),
        });
    }
    let mut out = format!(
        "Voted {} on {slug} as {member}: ballot {} (seq {}) on {}.",
        args.choice.as_str(),
        cast.commit.short(10),
        cast.seq,
        cast.refname
    );
    if let Some(p) = &cast.previous {
        out.push_str(&format!("\nIt replaces your earlier ballot, {} ({}).", p.summary(), p.id.short(10)));
    }
    out.push_str(&format!(
        "\nVoting closes {}; count with `tribune tally {slug}`.",
        crate::output::time(&proposal.statement.deadline)
    ));
    crate::output::print_prose(&ctx.style, &out)
}
