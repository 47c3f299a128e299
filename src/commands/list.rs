//! `tribune list`: the articles on the trunk, the last to arrive first.

use super::Ctx;
use crate::index;
use crate::model::filter::Tally;
use crate::output::{print, print_json, print_table};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// List the articles on the trunk, newest first.
///
/// Newest is the last to arrive on the trunk (the commit that added it, or merged it in:
/// by its time, and for commits of one second by their order on the trunk), not the date
/// the article bears. Reads a derived index under `.git/tribune/index/`, kept fresh
/// against the ref tips: after a contribution or a `git fetch` only the changed articles
/// are read again.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only articles of this contingent.
    #[arg(long, value_name = "ID")]
    pub contingent: Option<String>,
    /// Only articles with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only articles dated on or after this day, given as git takes dates: 2026-11-01,
    /// "Nov 21 2026", yesterday, "noon yesterday", "last friday", 2.weeks.ago, "3 days ago",
    /// "last month", "Thu Nov 26 18:02:37 2026 +0000", @1763719200 (seconds since the epoch)
    /// or an RFC 3339 time. Relative dates count back from now (GIT_COMMITTER_DATE when it
    /// is set); the article's own date is compared by day.
    #[arg(long, value_name = "DATE", value_parser = since_day)]
    pub since: Option<NaiveDate>,
    /// List a contingent's edition: its own versions in place of the trunk's.
    #[arg(long, value_name = "ID")]
    pub edition: Option<String>,
    /// Only the versions this filter passes, with their weighted score (see `tribune filter`).
    #[arg(long, value_name = "NAME")]
    pub filter: Option<String>,
    /// Show at most N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print the articles as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    slug: &'a str,
    title: &'a str,
    contingent: &'a str,
    date: &'a str,
    authors: &'a [String],
    tags: &'a [String],
    version: &'a str,
    versions: usize,
    /// When the article arrived on the trunk (RFC 3339, UTC): what the list is ordered by.
    arrived: String,
    /// In an edition: is this the contingent's own text?
    #[serde(skip_serializing_if = "Option::is_none")]
    rewritten: Option<bool>,
    /// Under a filter: the weighted mean score, as an exact fraction.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<String>,
}

/// The day `--since` names, in local time (article dates are days).
fn since_day(s: &str) -> Result<NaiveDate, String> {
    let now = crate::git::commit_time().map_err(|e| format!("{e:#}"))?;
    let at = crate::git::approxidate(s, now).ok_or_else(|| {
        "not a date git reads: use e.g. 2026-11-01, \"Nov 21 2026\", yesterday, \"noon yesterday\", \"last friday\", \
             2.weeks.ago, \"3 days ago\" or @SECONDS"
            .to_string()
    })?;
    use chrono::TimeZone;
    let local = chrono::Local.timestamp_opt(at.seconds, 0).earliest().ok_or("a date out of range")?;
    Ok(local.date_naive())
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    if let Some(c) = &args.contingent {
        crate::model::id::validate("contingent id", c).context("--contingent")?;
        commons.snapshot()?.require_contingent(c)?;
    }
    let mut idx = index::load(&commons)?;
    let mut edited: std::collections::HashSet<String> = Default::default();
    // Counted on the trunk's entries, before an edition's texts stand in for them.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    if let Some(ed) = &args.edition {
        counts = idx.articles.iter().map(|e| (e.slug.clone(), idx.version_count(e))).collect();
        crate::model::id::validate("contingent id", ed).context("--edition")?;
        let Some(edition) = idx.editions.find(ed) else {
            commons.snapshot()?.require_contingent(ed)?;
            return Err(crate::error::fail(
                format!("the contingent {ed:?} has no edition yet"),
                format!("its edition starts with its first rewrite: tribune rewrite SLUG --contingent {ed}"),
            ));
        };
        // The edition's own texts stand in for the trunk's.
        let own = edition.versions()?;
        for (slug, v) in own {
            edited.insert(slug.clone());
            match idx.articles.iter_mut().find(|e| e.slug == slug) {
                Some(e) => {
                    e.contingent = ed.clone();
                    e.title = v.title.clone();
                    e.version = v.version.clone();
                }
                None => idx.articles.push(index::Entry {
                    slug,
                    title: v.title.clone(),
                    contingent: ed.clone(),
                    date: if v.commit.is_empty() {
                        String::new()
                    } else {
                        crate::output::short(
                            &crate::git::Timestamp { seconds: v.time, offset_minutes: 0 }.rfc3339_utc(),
                            10,
                        )
                        .to_string()
                    },
                    tags: Vec::new(),
                    authors: vec![v.author.clone()],
                    version: v.version.clone(),
                    // Not on the trunk: it arrived with the edition's commit.
                    arrived: v.time,
                    arrived_seq: 0,
                }),
            }
        }
    }
    let idx = idx;
    // Versions are counted from the trunk's entry (a rival row carries its own version).
    let count = |e: &index::Entry| {
        counts.get(&e.slug).copied().unwrap_or_else(|| {
            match idx.articles.binary_search_by(|t| t.slug.as_str().cmp(&e.slug)) {
                Ok(i) => idx.version_count(&idx.articles[i]),
                Err(_) => idx.version_count(e),
            }
        })
    };
    // Under a filter, the passing versions: the trunk's, and rival versions on editions
    // (listed as rows of their own, under the edition's contingent).
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    let mut by_score = false;
    let mut rivals: Vec<index::Entry> = Vec::new();
    if let Some(name) = &args.filter {
        let (filter, _) = crate::ratings::trust::load(&commons, name)?;
        let all = crate::ratings::trust::tally_all(&commons, &filter)?;
        // Passing every condition; ranked by the filter's own.
        tallies = all.into_iter().filter(|(_, t)| filter.passes(t)).map(|(v, t)| (v.to_string(), t[0])).collect();
        by_score = filter.order == "score";
        // Only when some passing version is not a trunk text are the editions read.
        let on_trunk = idx.articles.iter().filter(|e| tallies.contains_key(&e.version)).count();
        if args.edition.is_none() && on_trunk < tallies.len() {
            for edition in &idx.editions.list {
                for (slug, v) in edition.versions()? {
                    if tallies.contains_key(&v.version) && !rivals.iter().any(|r| r.version == v.version) {
                        let trunk = idx
                            .articles
                            .binary_search_by(|e| e.slug.as_str().cmp(&slug))
                            .ok()
                            .map(|i| &idx.articles[i]);
                        rivals.push(index::Entry {
                            slug,
                            title: format!("{} ({})", v.title, edition.label),
                            contingent: edition.contingent.clone(),
                            date: trunk.map(|t| t.date.clone()).unwrap_or_default(),
                            tags: trunk.map(|t| t.tags.clone()).unwrap_or_default(),
                            authors: vec![v.author.clone()],
                            version: v.version.clone(),
                            arrived: trunk.map_or(v.time, |t| t.arrived),
                            arrived_seq: trunk.map_or(0, |t| t.arrived_seq),
                        });
                    }
                }
            }
        }
    }
    let since = args.since.map(|d| d.format("%Y-%m-%d").to_string());
    let mut rows: Vec<&index::Entry> = idx
        .articles
        .iter()
        .chain(rivals.iter())
        .filter(|e| args.contingent.as_ref().is_none_or(|c| e.contingent == *c))
        .filter(|e| args.tag.as_ref().is_none_or(|t| e.tags.contains(t)))
        .filter(|e| since.as_ref().is_none_or(|s| e.date.as_str() >= s.as_str()))
        .collect();
    let limit = args.limit.unwrap_or(usize::MAX);
    // Newest first by arrival on the trunk, so that `--limit 1` is the article that came
    // last, whatever date it bears: by the commit's time, then its place on the trunk's
    // line (commits of one second), then (articles of one commit) by date and slug. A
    // partial sort keeps `--limit 50` cheap on 100,000 articles.
    let newest_first = |a: &&index::Entry, b: &&index::Entry| {
        (b.arrived, b.arrived_seq)
            .cmp(&(a.arrived, a.arrived_seq))
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.slug.cmp(&b.slug))
    };
    if args.filter.is_some() {
        rows.retain(|e| tallies.contains_key(&e.version));
    }
    // Best first, exactly: a/b > c/d ⇔ a·d > c·b (weights are positive).
    let best_first = |a: &&index::Entry, b: &&index::Entry| {
        let (ta, tb) = (tallies[&a.version], tallies[&b.version]);
        (i128::from(tb.weighted) * i128::from(ta.weights))
            .cmp(&(i128::from(ta.weighted) * i128::from(tb.weights)))
            .then_with(|| newest_first(a, b))
    };
    let order = |a: &&index::Entry, b: &&index::Entry| if by_score { best_first(a, b) } else { newest_first(a, b) };
    if limit < rows.len() {
        rows.select_nth_unstable_by(limit, order);
        rows.truncate(limit);
    }
    rows.sort_by(order);
    let score_of = |e: &index::Entry| tallies.get(&e.version).map(|t| t.mean().to_string());
    if args.json {
        let out: Vec<Row<'_>> = rows
            .iter()
            .map(|e| Row {
                slug: &e.slug,
                title: &e.title,
                contingent: &e.contingent,
                date: &e.date,
                authors: &e.authors,
                tags: &e.tags,
                version: &e.version,
                versions: count(e),
                arrived: crate::git::Timestamp { seconds: e.arrived, offset_minutes: 0 }.rfc3339_utc(),
                rewritten: args.edition.as_ref().map(|_| edited.contains(&e.slug)),
                score: score_of(e),
            })
            .collect();
        return print_json(&out);
    }
    if rows.is_empty() {
        let msg = if idx.articles.is_empty() {
            "No articles yet: add one with `tribune contribute FILE`."
        } else {
            "No articles match."
        };
        return print(&ctx.style.fit(&crate::output::here::here(msg)));
    }
    let mut headers = vec!["SLUG", "TITLE", "CONTINGENT", "DATE", "VERSIONS"];
    if args.filter.is_some() {
        headers.push("SCORE");
    }
    // In an edition, whether each text is the contingent's own (a column of its own: a mark
    // after the title was cut off with it).
    if args.edition.is_some() {
        headers.push("REWRITTEN");
    }
    let mut t = ctx.style.table(&headers).free_text(&["TITLE"]);
    for e in rows {
        let mut row = vec![e.slug.clone(), e.title.clone(), e.contingent.clone(), e.date.clone(), count(e).to_string()];
        if let Some(s) = score_of(e) {
            row.push(s);
        }
        if args.edition.is_some() {
            row.push(if edited.contains(&e.slug) { "yes".into() } else { String::new() });
        }
        t.row(row);
    }
    print_table(&t)
}
