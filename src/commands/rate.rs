//! `tribune rate`: give a version of an article a score on one dimension.

use super::Ctx;
use crate::articles::history::resolve;
use crate::error::fail;
use crate::model::id;
use crate::model::rating::Rating;
use crate::model::selector::split_selector;
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
    #[arg(value_name = "SLUG[@VERSION]", required_unless_present = "batch", conflicts_with = "batch")]
    pub article: Option<String>,
    /// The score, from -2 to +2.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(i8).range(-2..=2),
          required_unless_present = "batch", conflicts_with = "batch")]
    pub score: Option<i8>,
    /// Many ratings from a file (- for standard input): JSON lines
    /// ({"slug": …, "score": …, "version": …, "rater": …, "dimension": …, "comment": …}) or CSV with a
    /// header naming those columns. One notes commit per rater; nothing is written unless
    /// every line is valid.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<std::path::PathBuf>,
    /// The dimension rated, one of tribune.toml's (default: the first, usually politics).
    #[arg(long, value_name = "DIMENSION")]
    pub dimension: Option<String>,
    /// A comment kept with the rating.
    #[arg(long)]
    pub comment: Option<String>,
    /// Rate as this rater (default: the member whose email is git's user.email).
    #[arg(long = "as", value_name = "RATER")]
    pub rater: Option<String>,
    /// Sign the notes commit with this OpenSSH key file: a private key (one protected by a
    /// passphrase is used through ssh-keygen, which asks for it), or the .pub file of a key
    /// held by ssh-agent (default: git's user.signingkey when gpg.format is ssh). Ratings by
    /// a rater with a registered key that are not signed by it show as forged.
    #[arg(long, value_name = "FILE")]
    pub key: Option<std::path::PathBuf>,
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
    if let Some(file) = &args.batch {
        return batch(&commons, &args, file);
    }
    let (Some(article), Some(score)) = (&args.article, args.score) else {
        return Err(crate::error::usage("give SLUG and --score, or --batch FILE", "see `tribune rate --help`"));
    };
    let (slug, selector) = split_selector(article)?;
    let dimension = dimension(&commons, args.dimension.as_deref())?;
    let rater = match &args.rater {
        Some(r) => r.clone(),
        None => crate::commons::actor::rater_by_email(&commons)?,
    };
    id::validate("rater", &rater).context("--as")?;
    let comment = args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let found = resolve(&commons, slug, selector)?;
    let at = commons.repo.identity("AUTHOR")?.when.rfc3339_utc();
    let rating = Rating { v: 1, rater: rater.clone(), dimension, score, at, comment };
    let mut records = BTreeMap::new();
    records.insert(found.version, vec![rating.clone()]);
    let subject = format!("rate: {slug} {} {:+}", rating.dimension, rating.score);
    let signer = crate::commons::actor::rater_signer(&commons, &rater, args.key.as_deref())?;
    let commit = ratings::add(&commons, &rater, &records, &subject, signer.as_ref(), None)?;
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

/// A dimension of this commons (the first one when none is given).
fn dimension(commons: &crate::commons::Commons, given: Option<&str>) -> Result<String> {
    let dims = &commons.config.ratings.dimensions;
    match given {
        Some(d) if dims.iter().any(|x| x == d) => Ok(d.to_string()),
        Some(d) => Err(fail(
            format!("{d:?} is not a rating dimension of this commons"),
            format!("the dimensions in tribune.toml are: {}", dims.join(", ")),
        )),
        None => dims.first().cloned().context("tribune.toml names no rating dimensions"),
    }
}

/// `rate --batch`: checks every line first, then writes one notes commit per rater.
fn batch(commons: &crate::commons::Commons, args: &Args, file: &std::path::Path) -> Result<()> {
    let name = file.display().to_string();
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).context("could not read standard input")?;
        b
    } else {
        std::fs::read(file).map_err(|e| fail(format!("cannot read {name}: {e}"), "check the path"))?
    };
    let text = crate::model::article::utf8(&name, &bytes)?;
    let lines = crate::model::batch::parse_batch(&name, text)?;
    let repo = &commons.repo;
    let trunk_tree = repo.commit_tree(commons.trunk_tip()?)?;
    let at = repo.identity("AUTHOR")?.when.rfc3339_utc();
    let fallback_rater = args.rater.clone();
    let mut by_rater: BTreeMap<String, BTreeMap<crate::git::Oid, Vec<Rating>>> = BTreeMap::new();
    let mut count = 0usize;
    for (no, line) in lines {
        let at_line = |e: anyhow::Error| -> anyhow::Error { e.context(format!("{name}:{no}")) };
        if !(crate::model::rating::MIN_SCORE..=crate::model::rating::MAX_SCORE).contains(&line.score) {
            return Err(fail(
                format!("{name}:{no}: the score {} is outside -2..2", line.score),
                "scores are integers from -2 to 2",
            ));
        }
        let rater = match line.rater.clone().or_else(|| fallback_rater.clone()) {
            Some(r) => r,
            None => crate::commons::actor::rater_by_email(commons).map_err(at_line)?,
        };
        id::validate("rater", &rater).map_err(|e| at_line(e.into()))?;
        id::validate("slug", &line.slug).map_err(|e| at_line(e.into()))?;
        let dimension = dimension(commons, line.dimension.as_deref().or(args.dimension.as_deref())).map_err(at_line)?;
        // The common cases without a lookup per line: the trunk's text, or a full version id.
        let version = match line.version.as_deref() {
            None | Some("trunk") => match repo.entry_at(trunk_tree, &crate::model::layout::article_text(&line.slug))? {
                Some(e) if !e.is_tree => e.id,
                _ => return Err(at_line(crate::articles::history::no_article(commons, &line.slug))),
            },
            Some(v) if v.len() == 40 => {
                let id: crate::git::Oid = v.parse().map_err(at_line)?;
                if !repo.has_object(id) {
                    return Err(fail(
                        format!("{name}:{no}: there is no version {v}"),
                        "give a version id from `tribune versions SLUG`",
                    ));
                }
                id
            }
            Some(selector) => resolve(commons, &line.slug, Some(selector)).map_err(at_line)?.version,
        };
        let comment = line.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        by_rater.entry(rater.clone()).or_default().entry(version).or_default().push(Rating {
            v: 1,
            rater,
            dimension,
            score: line.score,
            at: at.clone(),
            comment,
        });
        count += 1;
    }
    let raters = by_rater.len();
    for (rater, records) in &by_rater {
        let n: usize = records.values().map(Vec::len).sum();
        let signer = crate::commons::actor::rater_signer(commons, rater, args.key.as_deref())?;
        ratings::add(commons, rater, records, &format!("rate: {n} ratings"), signer.as_ref(), None)?;
    }
    print(&format!("Recorded {count} ratings by {raters} rater{} from {name}.", if raters == 1 { "" } else { "s" }))
}
