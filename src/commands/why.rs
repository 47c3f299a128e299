//! `tribune why`: which ratings let a version through a filter, and which did not.

use super::Ctx;
use crate::articles::history::resolve;
use crate::model::filter::{Fraction, Tally};
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
    /// Every condition holds (the filter's own, then each of `also`).
    passes: bool,
    /// The filter's further conditions, each judged as the filter's own is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also: Vec<Also>,
}

#[derive(Serialize)]
struct Also {
    dimension: String,
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
    let (mut judged, warnings) = trust::explain(&commons, &filter, found.version)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let tallies: Vec<Tally> = judged.iter().map(|(_, t)| *t).collect();
    let passes = filter.passes(&tallies);
    let rules = filter.rules();
    let (own, tally) = judged.remove(0);
    if args.json {
        let also = rules[1..]
            .iter()
            .zip(judged)
            .map(|(r, (ratings, t))| Also {
                dimension: r.dimension.to_string(),
                ratings,
                weighted: t.weighted,
                weights: t.weights,
                min_score: r.min.to_string(),
                passes: t.passes(r.min),
            })
            .collect();
        return print_json(&Why {
            version: found.version.to_string(),
            place: &found.place,
            filter: &args.filter,
            ratings: own,
            weighted: tally.weighted,
            weights: tally.weights,
            min_score: rules[0].min.to_string(),
            passes,
            also,
        });
    }
    let heading = format!("{slug} ({}, {}) under the filter {}:", found.version.short(10), found.place, args.filter);
    print(&ctx.style.fit(&heading))?;
    print(&ctx.style.fit(&condition(ctx, &own, tally, rules[0].min)?))?;
    for (rule, (ratings, t)) in rules[1..].iter().zip(&judged) {
        let heading = format!("And {} at least {} (every condition must hold):", rule.dimension, rule.min);
        print(&ctx.style.fit(&heading))?;
        print(&ctx.style.fit(&condition(ctx, ratings, *t, rule.min)?))?;
    }
    if !judged.is_empty() {
        let failed: Vec<&str> =
            rules.iter().zip(&tallies).filter(|(r, t)| !t.passes(r.min)).map(|(r, _)| r.dimension).collect();
        let verdict = if passes {
            format!("It passes the filter: all {} conditions hold.", rules.len())
        } else {
            format!("It does not pass the filter: the condition on {} does not hold.", failed.join(" and "))
        };
        print(&ctx.style.fit(&verdict))?;
    }
    Ok(())
}

/// One condition's ratings as a table (printed here), and its arithmetic as a sentence.
fn condition(ctx: &Ctx, judged: &[trust::Judged], tally: Tally, min: Fraction) -> Result<String> {
    let passes = tally.passes(min);
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
        for j in judged {
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
    Ok(out)
}
