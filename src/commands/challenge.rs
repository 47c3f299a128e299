//! `tribune challenge`: put a public question or challenge to a contingent.

use super::Ctx;
use crate::challenges::{self, Challenge};
use crate::error::{fail, usage};
use crate::model::id;
use crate::model::selector::split_selector;
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Put a public challenge to a contingent, on the trunk.
///
/// The text (Markdown; its first line is the subject) comes from FILE (- for standard
/// input) or -m. It is committed as `challenges/<xx>/<id>/index.md`, with the time it was
/// put; the id is the date and a short hash, e.g. 2026-11-21-3fa2c1. The challenged
/// contingent answers with `tribune reply`; `tribune accountability` shows who answers.
///
/// The commit is signed with --key (or git's user.signingkey). In a founded commons only a
/// member of the --from contingent may put a challenge in its name, signing with their key.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contingent challenged.
    #[arg(long, value_name = "ID")]
    pub to: String,
    /// The contingent putting the challenge.
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// The article (and version) the challenge is about: SLUG or SLUG@VERSION.
    #[arg(long, value_name = "SLUG[@VERSION]")]
    pub about: Option<String>,
    #[command(flatten)]
    pub text: Text,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print only the new challenge's id, for scripts: `id=$(tribune challenge … --quiet)`.
    #[arg(short = 'q', long, conflicts_with = "json")]
    pub quiet: bool,
}

/// The text of a challenge or a reply: FILE or -m (`tribune challenge` and `tribune reply`).
#[derive(Debug, clap::Args)]
pub struct Text {
    /// A file holding the text (- for standard input).
    #[arg(value_name = "FILE", conflicts_with = "message", required_unless_present = "message")]
    pub file: Option<PathBuf>,
    /// The text, instead of a file.
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
}

#[derive(Serialize)]
struct Done<'a> {
    path: String,
    commit: String,
    #[serde(flatten)]
    challenge: &'a Challenge,
}

impl Text {
    /// The text, from FILE, standard input or -m; refused when empty or when it has front
    /// matter (tribune writes that itself).
    pub fn read(&self) -> Result<String> {
        read_text(self.file.as_ref(), self.message.as_deref())
    }
}

fn read_text(file: Option<&PathBuf>, message: Option<&str>) -> Result<String> {
    let (name, text) = match (file, message) {
        (_, Some(m)) => ("-m".to_string(), m.to_string()),
        (Some(f), None) if f.as_os_str() == "-" => {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).context("could not read standard input")?;
            ("standard input".to_string(), crate::model::article::utf8("standard input", &b)?.to_string())
        }
        (Some(f), None) => {
            let b =
                std::fs::read(f).map_err(|e| fail(format!("cannot read {}: {e}", f.display()), "check the path"))?;
            let name = f.display().to_string();
            let text = crate::model::article::utf8(&name, &b)?.to_string();
            (name, text)
        }
        (None, None) => return Err(usage("no text given", "give a FILE or -m TEXT")),
    };
    let text = text.replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err(fail(format!("{name}: the text is empty"), "write the question or answer in Markdown"));
    }
    if text.starts_with("+++") {
        return Err(fail(
            format!("{name}:1: the text starts with front matter"),
            "give only the Markdown text; tribune writes the front matter (who, to whom, when)",
        ));
    }
    Ok(text)
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("contingent id", &args.to).context("--to")?;
    id::validate("contingent id", &args.from).context("--from")?;
    if args.to == args.from {
        return Err(usage(
            format!("--from and --to are both {:?}", args.to),
            "a challenge is put by one contingent to another",
        ));
    }
    let what = format!("challenge {}", args.to);
    let signer = crate::commons::actor::acting_for(&commons, &what, &[&args.from], args.signing.key.as_deref())?;
    let (about, about_version) = match &args.about {
        Some(a) => {
            let (slug, selector) = split_selector(a)?;
            let found = crate::articles::history::resolve(&commons, slug, selector)?;
            (Some(slug.to_string()), Some(found.version.to_string()))
        }
        None => (None, None),
    };
    let body = args.text.read()?;
    let author = commons.repo.identity("AUTHOR")?;
    let now = crate::git::commit_time()?.to_datetime().with_timezone(&chrono::Utc);
    let challenge = Challenge {
        id: String::new(),
        from: args.from.clone(),
        to: args.to.clone(),
        about,
        about_version,
        subject: challenges::subject_of(&body),
        asked_at: now,
        asked_by: format!("{} <{}>", author.name, author.email),
        body,
        replies: Vec::new(),
    };
    let (commit, challenge) = challenges::put_signed(&commons, challenge, None, signer.as_ref())?;
    if args.quiet {
        return print(&challenge.id);
    }
    if args.json {
        return print_json(&Done {
            path: challenges::text_path(&challenge.id),
            commit: commit.to_string(),
            challenge: &challenge,
        });
    }
    print(&crate::output::here::here(&format!(
        "Challenged {} on behalf of {}: {}\n  id      {}\n  commit  {}\n  reply with `tribune reply {} --as {} FILE`",
        challenge.to,
        challenge.from,
        crate::output::clean(&challenge.subject),
        challenge.id,
        commit,
        challenge.id,
        challenge.to
    )))
}
