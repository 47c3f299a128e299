//! `tribune reply`: a contingent's public answer to a challenge.

use super::Ctx;
use crate::challenges::{self, Reply};
use crate::commons::{message, Change};
use crate::error::fail;
use crate::model::id;
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Answer a challenge in the name of a contingent.
///
/// The text (Markdown) comes from FILE (- for standard input) or -m and is committed beside
/// the challenge as `challenges/<xx>/<id>/replies/<contingent>.md`. Replying again for the
/// same contingent amends the reply: the file is replaced (the history keeps the earlier
/// text) and the time of the first answer, which accountability counts, is kept.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The challenge's id (see `tribune challenges`).
    #[arg(value_name = "CHALLENGE")]
    pub challenge: String,
    /// The contingent replying.
    #[arg(long = "as", value_name = "ID")]
    pub contingent: String,
    /// A file holding the text (- for standard input).
    #[arg(value_name = "FILE", conflicts_with = "message", required_unless_present = "message")]
    pub file: Option<PathBuf>,
    /// The text, instead of a file.
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
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
    let body = super::challenge::read_text(args.file.as_ref(), args.message.as_deref())?;
    let author = commons.repo.identity("AUTHOR")?;
    let now = crate::git::commit_time()?.to_datetime().with_timezone(&chrono::Utc);
    let (commit, (reply, amendment)) = commons.commit_on_trunk(|snap| {
        snap.require_contingent(&args.contingent).context("--as")?;
        let Some(c) = challenges::read(snap, &args.challenge)? else {
            return Err(fail(
                format!("there is no challenge {:?} on the trunk", args.challenge),
                "list the challenges with `tribune challenges`",
            ));
        };
        let earlier = c.replies.iter().find(|r| r.contingent == args.contingent);
        let reply = Reply {
            contingent: args.contingent.clone(),
            answered_at: earlier.map_or(now, |r| r.answered_at),
            amended_at: earlier.map(|_| now),
            replied_by: format!("{} <{}>", author.name, author.email),
            body: body.clone(),
        };
        if earlier.is_some_and(|r| r.body.trim() == body.trim()) {
            return Err(fail(
                format!("no change: {} already replied to {} with this text", args.contingent, c.id),
                "edit the text to amend the reply",
            ));
        }
        let verb = if earlier.is_some() { "amend reply" } else { "reply" };
        let msg = message(
            &format!("{verb} to {}: {}", c.id, c.subject),
            &[("Action", "reply"), ("Challenge", c.id.as_str()), ("Contingent", args.contingent.as_str())],
        );
        let text = challenges::render_reply(&c.id, &reply);
        let change = Change::new(msg).put(challenges::reply_path(&c.id, &args.contingent), text.into_bytes());
        Ok((change, (reply, earlier.is_some())))
    })?;
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
