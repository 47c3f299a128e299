//! `tribune vote`: cast a signed ballot on a joint statement.

use super::Ctx;
use crate::commons::Commons;
use crate::error::fail;
use crate::git::{Oid, RefUpdate};
use crate::model::statement::format_deadline;
use crate::output::{print, print_json};
use crate::signing::Signer;
use crate::statements::{self, Choice, Proposal};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

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
    open_for_votes(&commons, &proposal, now)?;
    let member = member_for(&commons, args.signing.member.as_deref(), "vote")?;
    let keys = electorate_keys(&commons, &proposal, &member, "vote on")?;
    let signer = signer_for(&commons, &member, &keys, args.signing.key.as_deref())?;
    let comment = args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let cast = cast(&commons, &proposal, &member, args.choice, comment, &signer, &author, &committer)?;
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
        format_deadline(proposal.statement.deadline)
    ));
    print(&out)
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
    let refname = statements::ballot_ref(slug, member);
    let tree = commons.repo.empty_tree()?;
    for attempt in 0..100 {
        let tip = commons.repo.ref_target(&refname)?;
        let previous = match tip {
            Some(t) => Some(commons.repo.commit(t)?),
            None => None,
        };
        let seq = match tip {
            Some(t) => highest_seq(&commons.repo, t)?.checked_add(1).ok_or_else(|| {
                fail(
                    format!("{refname} already holds a ballot with the largest possible sequence number"),
                    "no later ballot can follow it; ask the organisation to look at that ref",
                )
            })?,
            None => 1,
        };
        let text = statements::ballot_message(slug, proposal.commit, proposal.text, member, seq, choice, comment);
        let parents: Vec<Oid> = tip.into_iter().collect();
        let commit = commons.repo.write_signed_commit(tree, &parents, author, committer, &text, &|d| signer.sign(d))?;
        match commons.repo.update_ref(&refname, commit, tip, &format!("tribune: vote {} on {slug}", choice.as_str()))? {
            RefUpdate::Done => return Ok(Written { commit, seq, refname, previous }),
            RefUpdate::Moved => std::thread::sleep(crate::git::backoff(attempt.min(6))),
        }
    }
    Err(fail(format!("{refname} kept moving"), "another process is voting as this member at the same time; try again"))
}

/// The highest sequence number among the ballots reachable from `tip` (0 when none has
/// one): a commit without one on top of the ref must not make the next ballot reuse a number.
fn highest_seq(repo: &crate::git::Repo, tip: Oid) -> Result<u64> {
    let mut highest = 0;
    let mut stack = vec![tip];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if seen.len() > 1000 || !seen.insert(id) {
            continue;
        }
        let Some(c) = repo.commit_if_commit(id)? else { continue };
        if let Some(s) = c.trailer("Tribune-Seq").and_then(|s| s.parse::<u64>().ok()) {
            highest = highest.max(s);
        }
        stack.extend(c.parents.iter().copied());
    }
    Ok(highest)
}

/// `member`'s keys in the proposal's electorate, read from that member's roster entry alone
/// (never the whole roster); an error when the member is not in the electorate.
pub fn electorate_keys(commons: &Commons, proposal: &Proposal, member: &str, verb: &str) -> Result<Vec<String>> {
    match statements::member_at(&commons.repo, commons.repo.commit_tree(proposal.commit)?, member)? {
        Some(m) => Ok(m.keys),
        None => Err(fail(
            format!("{member} cannot {verb} {}: {}", proposal.slug, statements::outsider(commons, member)?),
            "the electorate is the roster at the proposal commit; `tribune tally` lists it",
        )),
    }
}

/// Refuses a ballot that could not count: the vote is closed, or the text changed.
pub fn open_for_votes(commons: &Commons, proposal: &Proposal, now: i64) -> Result<()> {
    let slug = &proposal.slug;
    if let Some(tag) = commons.repo.ref_target(&statements::tag_ref(slug))? {
        // Only a valid approval closes the vote: anyone can push a ref.
        if statements::verify_tag(commons, slug, tag)?.problems.is_empty() {
            return Err(fail(
                format!("{slug} has been approved (tag {}): voting is closed", statements::tag_name(slug)),
                format!("see the result with `tribune tally {slug}` and check it with `tribune verify {slug}`"),
            ));
        }
        eprintln!(
            "warning: the tag {} fails verification, so it does not close the vote (`tribune verify {slug}`)",
            statements::tag_name(slug)
        );
    }
    if now > proposal.deadline() {
        return Err(fail(
            format!(
                "voting on {slug} closed at {} (it is now {})",
                format_deadline(proposal.statement.deadline),
                statements::rfc3339(now)
            ),
            format!("a ballot cast after the deadline would not count; see `tribune tally {slug}`"),
        ));
    }
    if let Some(now_text) = proposal.amended {
        return Err(fail(
            format!(
                "the text of {slug} on the trunk ({}) is not the text that was proposed ({}): it was changed in a later commit",
                now_text.short(10),
                proposal.text.short(10)
            ),
            "ballots bind the proposed text; propose the changed text as a new statement with `tribune propose`",
        ));
    }
    Ok(())
}

/// The member with git's email (as git picks the author's email: environment, then config).
pub fn member_by_email(commons: &Commons) -> Result<Option<String>> {
    let email = std::env::var("GIT_AUTHOR_EMAIL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| commons.repo.config_string("user.email"));
    let Some(email) = email else { return Ok(None) };
    Ok(commons.snapshot()?.members()?.into_iter().find(|m| m.email.eq_ignore_ascii_case(&email)).map(|m| m.id))
}

/// `--as MEMBER`, else the member with git's email, else an error saying how to choose.
pub fn member_for(commons: &Commons, given: Option<&str>, verb: &str) -> Result<String> {
    if let Some(m) = given {
        crate::model::id::validate("member id", m).context("--as")?;
        return Ok(m.to_string());
    }
    member_by_email(commons)?.ok_or_else(|| {
        fail(
            "no member of the roster has git's email (user.email or GIT_AUTHOR_EMAIL)",
            format!("{verb} as a member with --as MEMBER, or set user.email to the member's email"),
        )
    })
}

/// The key a member signs with: it must be one of the member's keys in `keys`.
pub fn signer_for(commons: &Commons, member: &str, keys: &[String], key: Option<&Path>) -> Result<Signer> {
    if keys.is_empty() {
        return Err(fail(
            format!("{member} has no key in the roster the vote uses, so cannot sign"),
            format!("add one with `tribune roster add-member {member} --key …` before a statement is proposed"),
        ));
    }
    let Some(signer) = crate::signing::configured(&commons.repo, key)? else {
        return Err(fail(
            "no signing key: a ballot or an approval must be signed",
            "pass --key FILE (your SSH private key, or its .pub with the key in ssh-agent), \
             or set git's user.signingkey with gpg.format=ssh",
        ));
    };
    if !signer.is_one_of(keys) {
        return Err(fail(
            format!(
                "the key {} is not one of {member}'s keys",
                signer.public.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
            ),
            format!("sign with the key registered in roster/members/{member}.toml"),
        ));
    }
    Ok(signer)
}
