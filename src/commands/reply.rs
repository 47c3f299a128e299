//! `tribune reply`: a contingent's public answer to a challenge.

use super::Ctx;
use crate::challenges::{self, Reply};
use crate::model::id;
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use serde::Serialize;

/// Answer a challenge in the name of a contingent.
///
/// The text (Markdown) comes from FILE (- for standard input) or -m and is committed beside
/// the challenge as `challenges/<xx>/<id>/replies/<contingent>.md`. Replying again for the
/// same contingent amends the reply: the file is replaced (the history keeps the earlier
/// text) and the time of the first answer, which accountability counts, is kept.
///
/// The commit is signed with --key (or git's user.signingkey). In a founded commons only a
/// member of the contingent may reply in its name, signing with their key.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The challenge's id (see `tribune challenges`).
    #[arg(value_name = "CHALLENGE")]
    pub challenge: String,
    /// The contingent replying.
    #[arg(long = "as", value_name = "ID")]
    pub contingent: String,
    #[command(flatten)]
    pub text: super::challenge::Text,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Done {
    challenge: String,
    path: String,
    commit: String,
    amendment: bool,
    #[serde(flatten)]
    reply: Reply,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("challenge id", &args.challenge)?;
    id::validate("contingent id", &args.contingent).context("--as")?;
    let what = format!("reply to the challenge {}", args.challenge);
    let signer = crate::commons::actor::acting_for(&commons, &what, &[&args.contingent], args.signing.key.as_deref())?;
    let body = args.text.read()?;
    let author = commons.repo.identity("AUTHOR")?;
    let now = crate::git::commit_time()?.to_datetime().with_timezone(&chrono::Utc);
    let replied_by = format!("{} <{}>", author.name, author.email);
    let answer = challenges::Answer { contingent: &args.contingent, body: &body, replied_by: &replied_by, now };
    let (commit, reply, amendment) =
        challenges::answer_signed(&commons, &args.challenge, answer, None, signer.as_ref())?;
    let done = Done {
        challenge: args.challenge.clone(),
        path: challenges::reply_path(&args.challenge, &args.contingent),
        commit: commit.to_string(),
        amendment,
        reply,
    };
    if args.json {
        return print_json(&done);
    }
    let what = if amendment { "Amended the reply of" } else { "Replied as" };
    print(&format!("{what} {} to {}\n  commit  {}\n  file    {}", args.contingent, args.challenge, commit, done.path))
}
