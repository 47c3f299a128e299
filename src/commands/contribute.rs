//! `tribune contribute`: add an article (or a new trunk version of one) as a commit.

use super::Ctx;
use crate::articles::contribute;
use crate::error::{fail, usage};
use crate::model::article::{self, canonical_license, Article, PUBLIC_DOMAIN};
use crate::model::{id, layout};
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Largest article or attachment accepted without --max-size: large media go by link.
pub const DEFAULT_MAX_SIZE: u64 = 10 * 1024 * 1024;

/// Contribute an article to the trunk.
///
/// FILE is Markdown with TOML front matter between `+++` lines (title, authors, contingent,
/// date, license, optional summary, tags and derived_from). It is checked (UTF-8, required
/// fields, contingent in the roster, a public-domain licence, slug rules), stored at
/// `articles/<xx>/<yy>/<slug>/index.md` with its attachments beside it, and committed on the
/// trunk with `Tribune-Action`, `Tribune-Article` and `Tribune-Contingent` trailers. A file
/// without front matter needs --title, --author and --contingent, and tribune writes it.
///
/// The commit is signed with --key (or git's user.signingkey). In a founded commons only a
/// member of the article's contingent may contribute or update it, signing with their key.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article: a Markdown file, or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The contributing contingent (must match the front matter's, if it has one).
    #[arg(long, value_name = "ID")]
    pub contingent: Option<String>,
    /// The article's slug (default: made from the title).
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Replace the trunk text of an existing article (a new version); without it an existing slug is refused.
    #[arg(long)]
    pub update: bool,
    /// A file to store beside the article (an image, a PDF); repeatable.
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Title, for a file without front matter.
    #[arg(long)]
    pub title: Option<String>,
    /// Author, for a file without front matter; repeatable.
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// Date (YYYY-MM-DD), for a file without front matter (default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Tag, for a file without front matter; repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Licence, for a file without front matter: a public-domain dedication (default CC0-1.0).
    #[arg(long, value_name = "SPDX")]
    pub license: Option<String>,
    /// One-sentence summary, for a file without front matter.
    #[arg(long)]
    pub summary: Option<String>,
    /// Largest accepted file in bytes, article or attachment.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE)]
    pub max_size: u64,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
pub struct Contributed {
    pub slug: String,
    pub version: String,
    pub commit: String,
    pub path: String,
    pub updated: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    // A key that cannot be read, or an actor who may not act at all, is refused first.
    let actor = crate::commons::actor::Actor::new(&commons, args.signing.key.as_deref())?;
    let name = if args.file == Path::new("-") { "<stdin>".to_string() } else { args.file.display().to_string() };
    let bytes = contribute::read_limited(&args.file, args.max_size)?;
    let text = article::utf8(&name, &bytes)?;
    let has_front = article::split(&name, text)?.is_some();
    let stored = if has_front {
        if args.title.is_some()
            || !args.authors.is_empty()
            || args.date.is_some()
            || !args.tags.is_empty()
            || args.summary.is_some()
            || args.license.is_some()
        {
            return Err(usage(
                format!(
                    "{name} has front matter; --title, --author, --date, --tag, --summary and --license are for files without it"
                ),
                "edit the front matter instead",
            ));
        }
        text.to_string()
    } else {
        let date = match args.date {
            Some(d) => d,
            None => commons.repo.identity("AUTHOR")?.when.to_datetime().date_naive(),
        };
        front_from_flags(&name, &args, date, text)?.render()
    };
    let article = Article::parse(&name, &stored)?;
    if let Some(c) = &args.contingent {
        if *c != article.contingent {
            return Err(fail(
                format!("{name} says contingent = {:?} but --contingent is {c:?}", article.contingent),
                "make them agree (the front matter is what is stored)",
            ));
        }
    }
    let slug = args.slug.clone().unwrap_or_else(|| id::slugify(&article.title));
    if slug.is_empty() {
        return Err(fail(format!("no slug can be made from the title {:?}", article.title), "pass --slug SLUG"));
    }
    id::validate("slug", &slug)?;
    let attachments = contribute::read_attachments(&args.attach, args.max_size)?;
    let prepared = contribute::Prepared { article, slug, text: stored.into_bytes(), attachments };
    let (commit, version) = contribute::commit(&commons, &prepared, args.update, &actor)?;
    let out = Contributed {
        slug: prepared.slug.clone(),
        version: version.to_string(),
        commit: commit.to_string(),
        path: layout::article_text(&prepared.slug),
        updated: args.update,
    };
    if args.json {
        return print_json(&out);
    }
    print(&format!(
        "{} {}\n  version  {}\n  commit   {}\n  path     {}",
        if args.update { "Updated" } else { "Contributed" },
        ctx.style.bold(&out.slug),
        out.version,
        out.commit,
        out.path
    ))
}

/// The article for a file without front matter, from the flags; each problem names its flag.
fn front_from_flags(name: &str, args: &Args, date: NaiveDate, body: &str) -> Result<Article> {
    let (Some(title), Some(contingent)) = (args.title.clone(), args.contingent.clone()) else {
        return Err(fail(
            format!("{name}:1: expected front matter (a '+++' line)"),
            "add front matter, or pass --title, --author and --contingent and tribune writes it",
        ));
    };
    let title = title.trim().to_string();
    if title.is_empty() || title.chars().any(char::is_control) {
        return Err(usage("--title must be one non-empty line of text", "pass --title \"A headline\""));
    }
    if args.authors.is_empty() || args.authors.iter().any(|a| a.trim().is_empty()) {
        return Err(usage(format!("{name} has no front matter and no --author"), "pass --author \"Your Name\""));
    }
    id::validate("contingent id", &contingent).context("--contingent")?;
    for t in &args.tags {
        id::validate("tag", t).context("--tag")?;
    }
    let given = args.license.as_deref().unwrap_or(PUBLIC_DOMAIN[0]);
    let license = canonical_license(given).ok_or_else(|| {
        fail(
            format!("--license: {given:?} is not a public-domain dedication"),
            format!("use one of {}", PUBLIC_DOMAIN.join(", ")),
        )
    })?;
    if !article::writable_date(date) {
        return Err(fail(format!("the date {date} is outside the years 0 to 9999"), "pass --date YYYY-MM-DD"));
    }
    Ok(Article {
        title,
        summary: args.summary.clone(),
        authors: args.authors.iter().map(|a| a.trim().to_string()).collect(),
        contingent,
        date,
        tags: args.tags.clone(),
        license: license.to_string(),
        derived_from: Vec::new(),
        media: Vec::new(),
        body: body.to_string(),
    })
}
