//! `tribune why`: which ratings let a version through a filter, and which did not.

use super::Ctx;
use crate::articles::history::resolve;
use crate::model::selector::split_selector;
use crate::output::{print, print_json, print_table};
use crate::ratings::trust;
use anyhow::Result;
use serde::Serialize;

/// Explain a filter's verdict on a version: every rating, counted (with its weight) or left
/// out (untrusted rater, other dimension, replaced, unsigned under --verified-only), and the
/// exact arithmetic of the result.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article, optionally with a version: SLUG or SLUG@VERSION.
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// The filter to explain.
    #[arg(long, value_name = "NAME")]
    pub filter: String,
    /// Print the explanation as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Why<'a> {
    version: String,
    place: &'a str,
    filter: &'a str,
    ratings: Vec<trust::Judged>,
    weighted: i64,
    weights: i64,
    min_score: String,
    passes: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, selector) = split_selector(&args.article)?;
    let (filter, _) = trust::load(&commons, &args.filter)?;
    let found = resolve(&commons, slug, selector)?;
    let (judged, tally, warnings) = trust::explain(&commons, &filter, found.version)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let min = filter.min();
    let passes = tally.passes(min);
    if args.json {
        return print_json(&Why {
            version: found.version.to_string(),
            place: &found.place,
            filter: &args.filter,
            ratings: judged,
            weighted: tally.weighted,
            weights: tally.weights,
            min_score: min.to_string(),
            passes,
        });
    }
    let heading = format!("{slug} ({}, {}) under the filter {}:", found.version.short(10), found.place, args.filter);
    print(&ctx.style.fit(&heading))?;
    let mut out = String::new();
    if judged.is_empty() {
        out.push_str("No one has rated this version.\n");
    } else {
        // Why a rating does not count is read whole: it wraps rather than being cut.
        let mut t = ctx
            .style
            .table(&["RATER", "DIMENSION", "SCORE", "WEIGHT", "COUNTED", "WHY NOT"])
            .free_text(&["WHY NOT"])
            .wrap();
        for j in &judged {
            t.row([
                j.rater.clone(),
                j.dimension.clone(),
                format!("{:+}", j.score),
                j.weight.to_string(),
                if j.counted { "yes".into() } else { "no".into() },
                j.reason.clone().unwrap_or_default(),
            ]);
        }
        print_table(&t)?;
    }
    let verdict = if tally.weights == 0 {
        format!("No rating counts, so it does not pass (it needs a weighted mean of at least {min}).")
    } else {
        format!(
            "Weighted mean {} / {} = {}; it needs {min}: {} × {} = {} {} {} × {} = {}: {}.",
            tally.weighted,
            tally.weights,
            tally.mean(),
            tally.weighted,
            min.q,
            i128::from(tally.weighted) * i128::from(min.q),
            if passes { "≥" } else { "<" },
            min.p,
            tally.weights,
            i128::from(min.p) * i128::from(tally.weights),
            if passes { "passes" } else { "does not pass" }
        )
    };
    out.push_str(&verdict);
    print(&ctx.style.fit(&out))
}
