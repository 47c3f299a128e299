//! The contingents' pages: each contingent's accountability figures, the challenges it
//! received and asked, and its newest articles and rewrites.

use super::article::{challenge_ctx, when, ChallengeCtx};
use super::collect::{clean, Data};
use super::lists::{Item, Planned, CONTINGENT_LIST};
use super::{PageHead, SiteCtx};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct Record {
    received: usize,
    answered: usize,
    unanswered: usize,
    median: String,
    oldest_open: String,
}

#[derive(Serialize)]
struct Listed {
    slug: String,
    title: String,
    date: String,
    short: String,
    status: &'static str,
    summary: String,
}

#[derive(Serialize)]
struct ContingentCtx<'a> {
    site: &'a SiteCtx,
    page: PageHead,
    root: &'static str,
    contingent: &'a super::collect::ContingentInfo,
    record: Record,
    received: Vec<ChallengeWithAbout>,
    asked: Vec<ChallengeWithAbout>,
    articles: Vec<Listed>,
    articles_total: usize,
    rewrites: Vec<Listed>,
    rewrites_total: usize,
}

#[derive(Serialize)]
struct ChallengeWithAbout {
    #[serde(flatten)]
    c: ChallengeCtx,
    about: String,
    about_page: bool,
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    articles: usize,
    rewrites: usize,
    received: usize,
    answered: usize,
    unanswered: usize,
}

/// Each contingent's page, and the page listing them all.
pub fn contingent_pages(site: &SiteCtx, data: &Data, all: &[Item], base: Option<&str>) -> Result<Vec<Planned>> {
    let ids: Vec<(String, Option<String>)> =
        data.contingents.values().map(|c| (c.id.clone(), Some(c.name.clone()))).collect();
    // The figures of `tribune accountability`; the age of the oldest open challenge is
    // shown as its date, so that a page does not change with the day it is built on.
    let records = crate::challenges::accountability(&data.challenges, &ids, chrono::DateTime::UNIX_EPOCH);
    let on_trunk: std::collections::HashSet<&str> = data.entries.iter().map(|e| e.slug.as_str()).collect();
    let mut out = Vec::new();
    let mut rows = Vec::new();
    let mut by_contingent: std::collections::HashMap<&str, Vec<&Item>> = Default::default();
    for i in all {
        by_contingent.entry(i.contingent.as_str()).or_default().push(i);
    }
    for c in data.contingents.values() {
        let path = format!("contingents/{}/index.html", c.id);
        let rec = records.iter().find(|r| r.contingent == c.id);
        let with_about = |ch: &crate::challenges::Challenge| ChallengeWithAbout {
            c: challenge_ctx(data, ch),
            about: ch.about.as_deref().map(clean).unwrap_or_default(),
            about_page: ch.about.as_deref().is_some_and(|a| on_trunk.contains(a)),
        };
        let received: Vec<ChallengeWithAbout> =
            data.challenges.iter().filter(|ch| ch.to == c.id).map(with_about).collect();
        let asked: Vec<ChallengeWithAbout> =
            data.challenges.iter().filter(|ch| ch.from == c.id).map(with_about).collect();
        let oldest_open = data
            .challenges
            .iter()
            .filter(|ch| ch.to == c.id && ch.answer().is_none())
            .map(|ch| ch.asked_at)
            .min()
            .map(|t| when(&t))
            .unwrap_or_else(|| "none".into());
        let theirs: &[&Item] = by_contingent.get(c.id.as_str()).map_or(&[], |v| v.as_slice());
        // The newest rewrites: sorted by reference, and only those listed worded.
        let mut found: Vec<(&str, &crate::index::BranchVersion)> = Vec::new();
        for e in data.editions.list.iter().filter(|e| e.contingent == c.id) {
            for (slug, v) in e.loaded().into_iter().flatten() {
                if on_trunk.contains(slug.as_str()) {
                    found.push((slug.as_str(), v));
                }
            }
        }
        found.sort_by(|a, b| b.1.time.cmp(&a.1.time).then_with(|| a.0.cmp(b.0)));
        let rewrites_total = found.len();
        let rewrites: Vec<Listed> = found
            .into_iter()
            .take(CONTINGENT_LIST)
            .map(|(slug, v)| {
                let trunk = data.entries.binary_search_by(|x| x.slug.as_str().cmp(slug)).ok().map(|i| &data.entries[i]);
                let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
                let status = crate::versions::status(
                    &v.version,
                    nonempty(&v.trunk_base).as_deref(),
                    trunk.map(|t| t.version.as_str()),
                );
                Listed {
                    short: v.version.get(..10).unwrap_or(&v.version).to_string(),
                    slug: slug.to_string(),
                    title: clean(&v.title),
                    date: String::new(),
                    status: status.name(),
                    summary: clean(&v.summary),
                }
            })
            .collect();
        let record = Record {
            received: rec.map_or(0, |r| r.received),
            answered: rec.map_or(0, |r| r.answered),
            unanswered: rec.map_or(0, |r| r.unanswered),
            median: rec
                .and_then(|r| r.median_seconds)
                .map(crate::challenges::human)
                .unwrap_or_else(|| "none answered".into()),
            oldest_open,
        };
        rows.push(Row {
            id: c.id.clone(),
            name: c.name.clone(),
            articles: theirs.len(),
            rewrites: rewrites_total,
            received: record.received,
            answered: record.answered,
            unanswered: record.unanswered,
        });
        let description = if c.description.is_empty() {
            format!("The {} contingent of {}: its articles, rewrites and challenges.", c.name, data.org)
        } else {
            c.description.clone()
        };
        let ctx = ContingentCtx {
            site,
            page: PageHead::new(&c.name, &description, base, &format!("contingents/{}/", c.id), None),
            root: "../../",
            contingent: c,
            record,
            received,
            asked,
            articles_total: theirs.len(),
            articles: theirs
                .iter()
                .take(CONTINGENT_LIST)
                .map(|i| Listed {
                    slug: i.slug.clone(),
                    title: i.title.clone(),
                    date: i.date.clone(),
                    short: String::new(),
                    status: "",
                    summary: String::new(),
                })
                .collect(),
            rewrites_total,
            rewrites,
        };
        out.push(Planned::new(path, "contingent.html", minijinja::Value::from_serialize(&ctx)));
    }
    let path = "contingents/index.html".to_string();
    let ctx = minijinja::context! {
        site => site,
        page => PageHead::new("Contingents", &format!("The contingents of {} and their public record.", data.org), base, "contingents/", None),
        root => "../",
        contingents => rows,
    };
    out.push(Planned::new(path, "contingents.html", ctx));
    Ok(out)
}
