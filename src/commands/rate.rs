//! `tribune rate`: give a version of an article a score on one dimension.

use super::Ctx;
use crate::commands::show::split_selector;
use crate::error::fail;
use crate::history::resolve;
use crate::model::id;
use crate::model::rating::Rating;
use crate::output::{print, print_json};
use crate::ratings;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Rate a version of an article.
///
/// The rating is a line of JSON in a git note on the version's blob, in the rater's own
/// notes ref `refs/notes/tribune/ratings/<rater>` (2/38 fanout), so the same text on any
/// branch carries the same ratings. Rating again on a dimension replaces the earlier score
/// (the latest record counts; the old one stays in history).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article, optionally with a version: SLUG or SLUG@VERSION (default: the trunk's).
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// The score, from -2 to +2.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(i8).range(-2..=2))]
    pub score: i8,
    /// The dimension rated, one of tribune.toml's (default: the first, usually politics).
    #[arg(long, value_name = "DIMENSION")]
    pub dimension: Option<String>,
    /// A comment kept with the rating.
    #[arg(long)]
    pub comment: Option<String>,
    /// Rate as this rater (default: the member whose email is git's user.email).
    #[arg(long = "as", value_name = "RATER")]
    pub rater: Option<String>,
    /// Print the record written as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Rated<'a> {
    slug: &'a str,
    version: String,
    place: &'a str,
    commit: String,
    #[serde(flatten)]
    rating: &'a Rating,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, selector) = split_selector(&args.article)?;
    let dims = &commons.config.ratings.dimensions;
    let dimension = match &args.dimension {
        Some(d) if dims.contains(d) => d.clone(),
        Some(d) => {
            return Err(fail(
                format!("{d:?} is not a rating dimension of this commons"),
                format!("the dimensions in tribune.toml are: {}", dims.join(", ")),
            ))
        }
        None => dims.first().cloned().context("tribune.toml names no rating dimensions")?,
    };
    let rater = match &args.rater {
        Some(r) => r.clone(),
        None => {
            // As git picks the author's email: the environment first, then user.email.
            let email = std::env::var("GIT_AUTHOR_EMAIL")
                .ok()
                .filter(|e| !e.is_empty())
                .or_else(|| commons.repo.config_string("user.email"));
            let member = match &email {
                Some(e) => commons.snapshot()?.members()?.into_iter().find(|m| m.email.eq_ignore_ascii_case(e)),
                None => None,
            };
            member.map(|m| m.id).ok_or_else(|| {
                fail(
                    format!("no member of the roster has the email {}", email.as_deref().unwrap_or("(none set)")),
                    "rate as someone with --as RATER (a rating service need not be a member)",
                )
            })?
        }
    };
    id::validate("rater", &rater).context("--as")?;
    let comment = args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let found = resolve(&commons, slug, selector)?;
    let at = commons.repo.identity("AUTHOR")?.when.rfc3339_utc();
    let rating = Rating { v: 1, rater: rater.clone(), dimension, score: args.score, at, comment };
    let mut records = BTreeMap::new();
    records.insert(found.version, vec![rating.clone()]);
    let subject = format!("rate: {slug} {} {:+}", rating.dimension, rating.score);
    let commit = ratings::add(&commons, &rater, &records, &subject)?;
    if args.json {
        return print_json(&Rated {
            slug,
            version: found.version.to_string(),
            place: &found.place,
            commit: commit.to_string(),
            rating: &rating,
        });
    }
    print(&format!(
        "Rated {slug} ({}, {}): {} {:+} as {rater}",
        found.version.short(10),
        found.place,
        rating.dimension,
        rating.score
    ))
}
