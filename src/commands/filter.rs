//! `tribune filter`: the reader's choice of whose ratings to trust.

use super::Ctx;
use crate::commons::actor::Actor;
use crate::error::fail;
use crate::model::filter::Filter;
use crate::model::id;
use crate::output::{print, print_json, print_table};
use crate::ratings::{shared, trust};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::collections::BTreeMap;

/// Manage filters: whose ratings you trust, with what weight, and the score that passes.
///
/// A filter is `filters/NAME.toml` on the trunk when shared with everyone (--shared), or
/// private to this clone in the git directory's `tribune/filters/`. `tribune list --filter
/// NAME` shows what it passes; `tribune why SLUG --filter NAME` explains it.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Create or replace a filter.
    Add(Add),
    /// List the filters.
    List {
        /// Print the filters as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one filter.
    Show {
        /// The filter's name.
        name: String,
    },
    /// Remove a filter.
    Remove {
        /// The filter's name.
        name: String,
        /// Remove the shared filter on the trunk (a commit) rather than the private one.
        #[arg(long)]
        shared: bool,
        #[command(flatten)]
        signing: super::acting::SignWith,
    },
}

#[derive(Debug, clap::Args)]
// On two lines, so that `--help` fits 80 columns (clap never wraps a usage line).
#[command(
    override_usage = "tribune filter add [OPTIONS] --trust <RATER[=WEIGHT]>\n       --dimension <DIMENSION> --min-score <X> <NAME>"
)]
pub struct Add {
    /// The filter's name: lowercase letters, digits and '-'.
    pub name: String,
    /// A rater you trust, with an optional whole-number weight (RATER or RATER=WEIGHT); repeatable.
    #[arg(long = "trust", value_name = "RATER[=WEIGHT]", required = true)]
    pub trust: Vec<String>,
    /// The rating dimension the filter reads.
    #[arg(long, value_name = "DIMENSION")]
    pub dimension: String,
    /// The least weighted mean score that passes, exactly: 1, -1, 1/2 or 0.5.
    #[arg(long = "min-score", value_name = "X", allow_hyphen_values = true)]
    pub min_score: String,
    /// Order of `list --filter`: score (best first) or date (the last to arrive on the trunk
    /// first, as `list` without a filter).
    #[arg(long, default_value = "score", value_parser = ["score", "date"])]
    pub order: String,
    /// Count only ratings signed by the rater's registered key.
    #[arg(long = "verified-only")]
    pub verified_only: bool,
    /// A further condition on another dimension, from the same raters with the same
    /// weights: DIMENSION=X (for example newsworthy=1); repeatable. A version passes when
    /// every condition holds. (A condition with raters of its own is written in the
    /// filter's file: see tribune-format(5), FILTERS.)
    #[arg(long = "also", value_name = "DIMENSION=X", allow_hyphen_values = true)]
    pub also: Vec<String>,
    /// Share the filter with everyone: commit it on the trunk, owned by you (the member whose
    /// key signs, or whose email is git's); only you or a member of your contingent may
    /// replace or remove it.
    #[arg(long)]
    pub shared: bool,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    match args.action {
        Action::Add(a) => {
            id::validate("filter name", &a.name)?;
            let mut trust_map = BTreeMap::new();
            for t in &a.trust {
                let (rater, weight) = match t.split_once('=') {
                    Some((r, w)) => (
                        r,
                        w.parse::<u32>().map_err(|_| {
                            fail(format!("--trust {t}: the weight is not a whole number"), "write RATER=2")
                        })?,
                    ),
                    None => (t.as_str(), 1),
                };
                id::validate("rater", rater).context("--trust")?;
                trust_map.insert(rater.to_string(), weight);
            }
            let dimensions = &commons.config.ratings.dimensions;
            let known = |d: &str, flag: &str| {
                if dimensions.iter().any(|k| k == d) {
                    return Ok(());
                }
                Err(fail(
                    format!("{flag}{d:?} is not a rating dimension of this commons"),
                    format!("the dimensions in tribune.toml are: {}", dimensions.join(", ")),
                ))
            };
            known(&a.dimension, "")?;
            let mut also = Vec::new();
            for c in &a.also {
                let Some((dimension, min)) = c.split_once('=') else {
                    return Err(fail(format!("--also {c}: no minimum score"), "write DIMENSION=X, as newsworthy=1"));
                };
                known(dimension, &format!("--also {c}: "))?;
                if crate::model::filter::Fraction::parse(min).is_none() {
                    return Err(crate::error::usage(
                        format!("--also {c}: {min:?} is not a number such as 1, -1, 1/2 or 0.5"),
                        "write DIMENSION=X, as newsworthy=1",
                    ));
                }
                also.push(crate::model::filter::Condition {
                    dimension: dimension.to_string(),
                    min_score: min.to_string(),
                    trust: None,
                });
            }
            let f = Filter {
                trust: trust_map,
                dimension: a.dimension,
                min_score: a.min_score,
                order: a.order,
                verified_only: a.verified_only,
                also,
            };
            f.check().map_err(|m| fail(m, "see `tribune filter add --help`"))?;
            if a.shared {
                let actor = Actor::new(&commons, a.signing.key.as_deref())?;
                let commit = shared::share(&commons, &a.name, &f, &actor)?;
                return print(&format!("Shared filter {} on the trunk (commit {}).", a.name, commit.short(10)));
            }
            let path = commons.state_dir().join("filters").join(format!("{}.toml", a.name));
            crate::index::write_file(&path, f.to_toml().as_bytes())?;
            print(&format!("Saved private filter {} in {}.", a.name, path.display()))
        }
        Action::List { json } => {
            let all = trust::all(&commons)?;
            let mut owners = Vec::with_capacity(all.len());
            for (n, w, _) in &all {
                owners.push(if *w == "shared" { shared::owner(&commons, n)? } else { None });
            }
            if json {
                let v: Vec<serde_json::Value> = all
                    .iter()
                    .zip(&owners)
                    .map(|((n, w, f), o)| serde_json::json!({"name": n, "where": w, "owner": o, "filter": f}))
                    .collect();
                return print_json(&v);
            }
            if all.is_empty() {
                let none = "No filters yet: make one with `tribune filter add NAME --trust RATER --dimension D --min-score X`.";
                return print(&ctx.style.fit(&crate::output::here::here(none)));
            }
            let mut t = ctx.style.table(&["FILTER", "WHERE", "OWNER", "DIMENSION", "MIN", "TRUSTS"]);
            for ((n, w, f), o) in all.iter().zip(&owners) {
                let trusts: Vec<String> =
                    f.trust.iter().map(|(r, w)| if *w == 1 { r.clone() } else { format!("{r}={w}") }).collect();
                let owner = o.as_ref().map_or_else(|| "-".to_string(), |o| format!("{} ({})", o.member, o.contingent));
                // Further conditions after the filter's own dimension.
                let mut dimension = f.dimension.clone();
                for c in &f.also {
                    dimension.push_str(&format!(" + {} >= {}", c.dimension, c.min_score));
                }
                t.row([n.clone(), w.to_string(), owner, dimension, f.min_score.clone(), trusts.join(", ")]);
            }
            print_table(&t)
        }
        Action::Show { name } => {
            let (f, place) = trust::load(&commons, &name)?;
            let owner = if place == "shared" { shared::owner(&commons, &name)? } else { None };
            print(&format!("# {name} ({place})\n{}", f.to_toml_owned(owner.as_ref())))
        }
        Action::Remove { name, shared, signing } => {
            id::validate("filter name", &name)?;
            if shared {
                let actor = Actor::new(&commons, signing.key.as_deref())?;
                shared::unshare(&commons, &name, &actor)?;
                return print(&format!("Removed the shared filter {name}."));
            }
            let path = commons.state_dir().join("filters").join(format!("{name}.toml"));
            std::fs::remove_file(&path)
                .map_err(|_| fail(format!("there is no private filter {name:?}"), "for a shared one, add --shared"))?;
            print(&format!("Removed the private filter {name}."))
        }
    }
}
