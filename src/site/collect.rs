//! What every page of the site is made from, read once: the trunk's articles from the
//! derived index, every edition's texts, the roster, the shared filters, the challenges,
//! and (for a full build) every rating and every article's trunk log, each read in one
//! pass rather than once per article.

use crate::commons::Commons;
use crate::git::Oid;
use crate::index::{BranchVersion, Entry};
use crate::model::filter::Filter;
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A contingent of the roster, as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ContingentInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Its address, when it is an http(s) or mailto one.
    pub url: String,
}

/// A rival version on an edition: where it is and what made it.
#[derive(Debug, Clone, Copy)]
pub struct Rival<'a> {
    /// `contingents/abc`, `origin/contingents/abc`.
    pub label: &'a str,
    pub contingent: &'a str,
    pub v: &'a BranchVersion,
    /// The edition's tip (its tree holds the version's files).
    pub tip: crate::git::Oid,
}

/// A version's ratings on one dimension: each rater's latest record counts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DimRating {
    pub dimension: String,
    pub raters: i64,
    pub sum: i64,
    /// How many of those records are signed by the rater's registered key.
    pub verified: i64,
    /// The mean, to two decimals, worked out in integers.
    pub mean: String,
}

/// Everything read once for the pages.
pub struct Data {
    pub org: String,
    pub lang: String,
    /// The trunk's articles whose slug is a valid id (a page needs a safe path), by slug.
    pub entries: Vec<Entry>,
    /// Slug → the editions (their places in `editions.list`) with a text of their own.
    rivals: HashMap<String, Vec<u32>>,
    pub contingents: BTreeMap<String, ContingentInfo>,
    /// Shared filters (filters/<name>.toml on the trunk) with a valid name.
    pub filters: Vec<(String, Filter)>,
    pub challenges: Vec<crate::challenges::Challenge>,
    /// Slug → indices into `challenges` of those about it.
    pub challenges_about: HashMap<String, Vec<usize>>,
    pub editions: crate::index::Editions,
    /// Slug → the distinct versions of it on the editions (see [`Data::version_count`]).
    branch_versions: HashMap<String, Vec<String>>,
}

impl Data {
    /// The rival versions of `slug`: each edition's own text of it.
    pub fn rivals<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = Rival<'a>> + 'a {
        self.rivals.get(slug).into_iter().flatten().filter_map(move |i| {
            let e = self.editions.list.get(*i as usize)?;
            let v = e.loaded()?.get(slug)?;
            Some(Rival { label: &e.label, contingent: &e.contingent, v, tip: e.tip })
        })
    }

    /// How many distinct versions of the article exist, the trunk's and the editions'.
    pub fn version_count(&self, e: &Entry) -> usize {
        crate::index::version_count(&self.branch_versions, e)
    }

    /// Every slug with rival versions.
    pub fn rival_slugs(&self) -> impl Iterator<Item = &str> {
        self.rivals.keys().map(String::as_str)
    }
}

/// Nothing from the data reaches a page as a control character (XML 1.0 forbids most of
/// them even escaped, and a feed with one does not parse): each is replaced by U+FFFD.
pub fn clean(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return s.to_string();
    }
    s.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{fffd}' } else { c }).collect()
}

pub fn read(commons: &Commons) -> Result<Data> {
    let (articles, editions, branch_versions) = crate::index::load(commons)?.into_parts();
    editions.preload()?;
    let entries: Vec<Entry> = articles.into_iter().filter(|e| crate::model::id::is_valid(&e.slug)).collect();
    let mut rivals: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, e) in editions.list.iter().enumerate() {
        for slug in e.loaded().into_iter().flatten().map(|(s, _)| s) {
            rivals.entry(slug.clone()).or_default().push(i as u32);
        }
    }
    let snap = commons.snapshot()?;
    let contingents = snap
        .contingents()?
        .into_iter()
        .filter(|c| crate::model::id::is_valid(&c.id))
        .map(|c| {
            let url = crate::export::safe_url(&c.url).map(clean).unwrap_or_default();
            (c.id.clone(), ContingentInfo { id: c.id, name: clean(&c.name), description: clean(&c.description), url })
        })
        .collect();
    let filters = shared_filters(commons)?;
    let challenges = crate::challenges::all(commons)?;
    let mut challenges_about: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in challenges.iter().enumerate() {
        if let Some(a) = &c.about {
            challenges_about.entry(a.clone()).or_default().push(i);
        }
    }
    Ok(Data {
        org: clean(&commons.config.name),
        lang: crate::export::language(None, commons.config.lang.as_deref()),
        entries,
        rivals,
        contingents,
        filters,
        challenges,
        challenges_about,
        editions,
        branch_versions,
    })
}

/// The trunk's shared filters that parse, by name.
fn shared_filters(commons: &Commons) -> Result<Vec<(String, Filter)>> {
    let repo = &commons.repo;
    let tree = repo.commit_tree(commons.trunk_tip()?)?;
    let mut out = Vec::new();
    for e in repo.list_dir(tree, "filters")?.into_iter().filter(|e| !e.is_tree) {
        let Some(name) = e.name.strip_suffix(".toml") else { continue };
        if !crate::model::id::is_valid(name) {
            continue;
        }
        let text = String::from_utf8_lossy(&repo.read_blob(e.id)?).into_owned();
        // A shared filter that does not parse has no page (`tribune filter` reports it).
        if let Ok(f) = Filter::parse(&format!("filters/{}", e.name), &text) {
            out.push((name.to_string(), f));
        }
    }
    Ok(out)
}

/// "1.50", "-0.33", from a sum of scores and their count, in integers.
pub fn mean_text(sum: i64, n: i64) -> String {
    if n <= 0 {
        return String::new();
    }
    let neg = sum < 0;
    let hundredths = (sum.unsigned_abs() * 200 + n.unsigned_abs()) / (2 * n.unsigned_abs());
    format!("{}{}.{:02}", if neg && hundredths > 0 { "-" } else { "" }, hundredths / 100, hundredths % 100)
}

/// One rater's notes on a version as counts by dimension: the latest record of each.
pub fn summarise(noted: &crate::ratings::Noted) -> Vec<(String, i64, bool)> {
    let latest = crate::model::rating::latest(&noted.ratings);
    let mut out = Vec::with_capacity(latest.len());
    for ((_, dim), r) in latest {
        let i = noted.ratings.iter().position(|x| std::ptr::eq(x, r)).unwrap_or(0);
        let verified = noted.verdicts.get(i) == Some(&crate::signing::Verdict::Verified);
        out.push((dim, i64::from(r.score), verified));
    }
    out
}

/// Adds one rater's summarised records to a version's ratings by dimension.
pub fn add_to(dims: &mut Vec<DimRating>, rater: &[(String, i64, bool)]) {
    for (dim, score, verified) in rater {
        let i = match dims.iter().position(|d| d.dimension == *dim) {
            Some(i) => i,
            None => {
                dims.push(DimRating { dimension: dim.clone(), raters: 0, sum: 0, verified: 0, mean: String::new() });
                dims.len() - 1
            }
        };
        let d = &mut dims[i];
        d.raters += 1;
        d.sum += score;
        d.verified += i64::from(*verified);
    }
}

/// Finishes ratings by dimension: means, and dimensions in name order.
pub fn finish(mut dims: Vec<DimRating>) -> Vec<DimRating> {
    for d in &mut dims {
        d.dimension = clean(&d.dimension);
        d.mean = mean_text(d.sum, d.raters);
    }
    dims.sort_by(|a, b| a.dimension.cmp(&b.dimension));
    dims
}

/// Every version's ratings by dimension, each rater's ref read once (a full build).
pub fn all_ratings(commons: &Commons) -> Result<HashMap<Oid, Vec<DimRating>>> {
    let notes = crate::ratings::every_note(commons, |_, noted| Some(summarise(&noted)))?;
    let mut out: HashMap<Oid, Vec<DimRating>> = HashMap::new();
    for (object, rater) in notes {
        add_to(out.entry(object).or_default(), &rater);
    }
    Ok(out.into_iter().map(|(k, v)| (k, finish(v))).collect())
}

/// The ratings of a few versions, through the index of who noted what (an incremental
/// build reads only the raters of the articles that changed).
pub fn some_ratings(commons: &Commons, versions: &[Oid]) -> Result<HashMap<Oid, Vec<DimRating>>> {
    let noted = crate::ratings::of_versions(commons, versions)?;
    let mut out = HashMap::new();
    for (v, list) in versions.iter().zip(noted) {
        let mut dims = Vec::new();
        for n in &list {
            add_to(&mut dims, &summarise(n));
        }
        out.insert(*v, finish(dims));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_are_rounded_to_two_decimals_in_integers() {
        assert_eq!(mean_text(3, 2), "1.50");
        assert_eq!(mean_text(-1, 3), "-0.33");
        assert_eq!(mean_text(2, 3), "0.67");
        assert_eq!(mean_text(0, 5), "0.00");
        assert_eq!(mean_text(-2, 1), "-2.00");
        assert_eq!(mean_text(1, 0), "");
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(clean("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb\nc");
    }
}
