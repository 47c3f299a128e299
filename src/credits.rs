//! Credits: who wrote a version, who modified it and what it quotes, computed from the
//! `derived_from` links in the texts and the trunk's history of the article.
//!
//! The walk starts at the version and follows its `wasRevisionOf` (else `wasDerivedFrom`)
//! link to the version it was made from, and so on, reading one blob per step. A text with
//! no such link is a trunk text: the article's trunk log (which stops at the commit that
//! created the article) gives its earlier trunk versions, the oldest of which is the
//! original. Nothing else of the history is read.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::article::{Article, Derivation};
use crate::model::layout;
use anyhow::Result;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A contingent as credits name it: its id, and its name and link from the roster.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Who {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Who {
    /// "ABC Collective", else the id.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// A version as credits name it: where it is, its title, authors and contingent, and a link.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Work {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contingent: Option<Who>,
    /// A link to a work outside the commons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Work {
    /// Its own link, else its contingent's.
    pub fn link(&self) -> Option<String> {
        self.url.clone().or_else(|| self.contingent.as_ref().and_then(|c| c.url.clone()))
    }
}

/// One version in a line of provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `original`, `update` (a later trunk text), `revision` (wasRevisionOf) or
    /// `derivation` (wasDerivedFrom).
    pub action: String,
    #[serde(flatten)]
    pub work: Work,
    /// The commit's author, when the commit that made the version is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_by: Option<String>,
    /// When that commit was authored (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// A quoted source (wasQuotedFrom).
pub type Source = Work;

/// The provenance of one version.
#[derive(Debug, Clone, Serialize)]
pub struct Credits {
    pub slug: String,
    pub version: String,
    pub title: String,
    pub original: Step,
    /// Every later step, oldest first, ending with the version itself.
    pub modifications: Vec<Step>,
    /// The contingents that modified it, in order of their first change; the original
    /// contingent is not repeated.
    pub modified_by: Vec<Who>,
    pub quotes: Vec<Source>,
    /// What could not be followed (a base that is not in this repository, a broken text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Longest line of provenance followed: a guard against a cycle written by hand.
const MAX_STEPS: usize = 10_000;

struct Ctx<'a> {
    commons: &'a Commons,
    roster: HashMap<String, Who>,
    editions: &'a crate::index::Editions,
    /// Every article's trunk log, when read at once (see [`compute_with`]).
    logs: Option<&'a Logs>,
}

/// Every article's trunk log, as `articles::history::all_logs` reads them in one walk.
pub type Logs = HashMap<String, Vec<crate::articles::history::LogEntry>>;

impl Ctx<'_> {
    fn who(&mut self, id: &str) -> Who {
        if let Some(w) = self.roster.get(id) {
            return w.clone();
        }
        let found = self.commons.snapshot().ok().and_then(|s| s.contingent(id).ok().flatten());
        let w = Who {
            id: id.to_string(),
            name: found.as_ref().map(|c| c.name.clone()),
            url: found.map(|c| c.url).filter(|u| !u.is_empty()),
        };
        self.roster.insert(id.to_string(), w.clone());
        w
    }
    fn read(&self, version: Oid) -> Option<Article> {
        let bytes = self.commons.repo.read_blob(version).ok()?;
        Article::parse("", &String::from_utf8_lossy(&bytes)).ok()
    }
    fn step(&mut self, action: &str, slug: &str, version: Oid, a: &Article) -> Step {
        let work = Work {
            slug: Some(slug.to_string()),
            version: Some(version.to_string()),
            title: Some(a.title.clone()),
            authors: a.authors.clone(),
            contingent: Some(self.who(&a.contingent)),
            url: None,
        };
        Step { action: action.into(), work, committed_by: None, at: None }
    }
}

/// The link a text was made from: its `wasRevisionOf`, else its `wasDerivedFrom`.
pub fn link(a: &Article) -> Option<&Derivation> {
    a.derived_from
        .iter()
        .find(|d| d.relation == "wasRevisionOf")
        .or_else(|| a.derived_from.iter().find(|d| d.relation == "wasDerivedFrom"))
}

/// Is `v` one of `slug`'s versions: a blob that is its trunk text now, an edition's text of
/// it, a rewrite of it (its own base names `slug`), a text with its title, or one of its
/// earlier trunk texts? (A derived_from entry could name any object.)
fn version_of(
    commons: &Commons,
    editions: &crate::index::Editions,
    slug: &str,
    v: Oid,
    logs: Option<&Logs>,
) -> Result<bool> {
    let repo = &commons.repo;
    if !repo.has_object(v) || repo.read_blob(v).is_err() {
        return Ok(false);
    }
    let trunk = repo.entry_at(repo.commit_tree(commons.trunk_tip()?)?, &layout::article_text(slug))?.map(|e| e.id);
    if trunk == Some(v) {
        return Ok(true);
    }
    for (_, bv) in editions.rewrites(slug)? {
        if bv.version == v.to_string() {
            return Ok(true);
        }
    }
    // An earlier rewrite of the article names it as its own base; an old text keeps its title.
    let text = String::from_utf8_lossy(&repo.read_blob(v)?).into_owned();
    if let Ok(a) = crate::model::article::Article::parse(slug, &text) {
        if a.derived_from.iter().any(|d| d.relation == "wasRevisionOf" && d.slug.as_deref() == Some(slug))
            || crate::model::id::slugify(&a.title) == slug
        {
            return Ok(true);
        }
    }
    if let Some(log) = logs.and_then(|l| l.get(slug)) {
        return Ok(log.iter().any(|e| e.version == Some(v)));
    }
    Ok(crate::articles::history::log(commons, slug, None)?.iter().any(|e| e.version == Some(v)))
}

/// Computes the credits of `version` of `slug`.
pub fn compute(commons: &Commons, slug: &str, version: Oid) -> Result<Credits> {
    compute_with(commons, slug, version, &crate::index::editions(commons)?, None)
}

/// [`compute`] with the editions already read, and every article's trunk log when known
/// (a site build credits every article: one walk of the history instead of one each).
pub fn compute_with(
    commons: &Commons,
    slug: &str,
    version: Oid,
    editions: &crate::index::Editions,
    logs: Option<&Logs>,
) -> Result<Credits> {
    let repo = &commons.repo;
    let mut ctx = Ctx { commons, roster: HashMap::new(), editions, logs };
    let mut chain: Vec<Step> = Vec::new(); // newest first
    let mut notes = Vec::new();
    let mut quotes: Vec<Derivation> = Vec::new();
    let mut seen = HashSet::new();
    let (mut slug_now, mut current) = (slug.to_string(), version);
    let mut title = String::new();
    let mut external: Option<Step> = None;
    loop {
        if !seen.insert(current) || seen.len() > MAX_STEPS {
            notes.push(format!("the provenance of {} loops back on itself", current.short(10)));
            break;
        }
        let Some(article) = ctx.read(current) else {
            notes.push(format!("version {} of {slug_now} cannot be read as an article", current.short(10)));
            break;
        };
        if title.is_empty() {
            title = article.title.clone();
        }
        for d in article.derived_from.iter().filter(|d| d.relation == "wasQuotedFrom") {
            if !quotes.contains(d) {
                quotes.push(d.clone());
            }
        }
        let Some(from) = link(&article).cloned() else {
            // A trunk text: the article's trunk history gives what came before it.
            trunk_line(&mut ctx, &slug_now, current, &article, &mut chain)?;
            break;
        };
        let action = if from.relation == "wasRevisionOf" { "revision" } else { "derivation" };
        let mut step = ctx.step(action, &slug_now, current, &article);
        if let Some(e) = editions.find(&article.contingent) {
            if let Ok(Some(v)) = e.get(&slug_now) {
                if v.version == current.to_string() {
                    step.committed_by = Some(v.author.clone()).filter(|a| !a.is_empty());
                    step.at = crate::git::Timestamp { seconds: v.time, offset_minutes: 0 }.rfc3339_utc().into();
                }
            }
        }
        chain.push(step);
        let next_slug = from.slug.clone().unwrap_or_else(|| slug_now.clone());
        let named: Option<Oid> = from.version.as_deref().and_then(|v| v.parse().ok());
        let given = match named {
            Some(v) if version_of(commons, editions, &next_slug, v, logs)? => Some(v),
            _ => None,
        };
        let next = match given {
            Some(v) => Some(v),
            None if from.slug.is_some() => {
                if let Some(v) = from.version.as_deref() {
                    let why = if named.is_some_and(|n| repo.has_object(n)) {
                        "is not a version of that article"
                    } else {
                        "is not in this repository"
                    };
                    notes.push(format!("the base version {v} of {next_slug} {why}; the trunk's text stands in for it"));
                }
                repo.entry_at(repo.commit_tree(commons.trunk_tip()?)?, &layout::article_text(&next_slug))?.map(|e| e.id)
            }
            None => None,
        };
        match next {
            Some(v) => {
                slug_now = next_slug;
                current = v;
            }
            None => {
                external = Some(Step {
                    action: "original".into(),
                    work: Work {
                        slug: from.slug.clone(),
                        version: from.version.clone(),
                        contingent: from.contingent.as_deref().map(|c| ctx.who(c)),
                        url: from.url.clone(),
                        ..Work::default()
                    },
                    committed_by: None,
                    at: None,
                });
                if from.slug.is_some() {
                    notes.push(format!("{next_slug} is not on the trunk: its credits end here"));
                }
                break;
            }
        }
    }
    if let Some(e) = external {
        chain.push(e);
    }
    chain.reverse();
    if chain.is_empty() {
        return Err(crate::error::fail(
            format!("version {} of {slug} is not a readable article", version.short(10)),
            format!("see it as stored with `tribune show {slug}@{} --raw`", version.short(10)),
        ));
    }
    let mut original = chain.remove(0);
    original.action = "original".into();
    let mut modified_by: Vec<Who> = Vec::new();
    for s in &chain {
        if let Some(c) = &s.work.contingent {
            if original.work.contingent.as_ref().map(|o| &o.id) != Some(&c.id)
                && !modified_by.iter().any(|m| m.id == c.id)
            {
                modified_by.push(c.clone());
            }
        }
    }
    let quotes = quotes.into_iter().map(|d| source(&mut ctx, d)).collect::<Result<Vec<_>>>()?;
    Ok(Credits {
        slug: slug.to_string(),
        version: version.to_string(),
        title,
        original,
        modifications: chain,
        modified_by,
        quotes,
        notes,
    })
}

/// Adds the trunk texts of `slug` up to `version` (newest first) to `chain`.
fn trunk_line(ctx: &mut Ctx<'_>, slug: &str, version: Oid, article: &Article, chain: &mut Vec<Step>) -> Result<()> {
    let log = match ctx.logs {
        Some(logs) if crate::model::id::is_valid(slug) => logs.get(slug).cloned().unwrap_or_default(),
        _ => crate::articles::history::log(ctx.commons, slug, None)?,
    };
    let Some(at) = log.iter().position(|e| e.version == Some(version)) else {
        // Not a trunk text (or no longer on the trunk): it is its own original.
        chain.push(ctx.step("original", slug, version, article));
        return Ok(());
    };
    let older = &log[at..];
    for (i, entry) in older.iter().enumerate() {
        let Some(v) = entry.version else { break };
        let a = if v == version { Some(article.clone()) } else { ctx.read(v) };
        let Some(a) = a else { continue };
        let last = i + 1 == older.len() || older[i + 1].version.is_none();
        let mut step = ctx.step(if last { "original" } else { "update" }, slug, v, &a);
        step.committed_by = Some(entry.commit.author.name.clone());
        step.at = Some(entry.commit.author.when.rfc3339_utc());
        chain.push(step);
        if last {
            break;
        }
    }
    Ok(())
}

fn source(ctx: &mut Ctx<'_>, d: Derivation) -> Result<Source> {
    let repo = &ctx.commons.repo;
    let mut s = Source {
        slug: d.slug.clone(),
        version: d.version.clone(),
        contingent: d.contingent.as_deref().map(|c| ctx.who(c)),
        url: d.url.clone(),
        ..Source::default()
    };
    let Some(slug) = &d.slug else { return Ok(s) };
    let editions = ctx.editions;
    let named: Option<Oid> = d.version.as_deref().and_then(|v| v.parse().ok());
    let given = match named {
        Some(v) if version_of(ctx.commons, editions, slug, v, ctx.logs)? => Some(v),
        _ => None,
    };
    let version = match given {
        Some(v) => Some(v),
        None => repo.entry_at(repo.commit_tree(ctx.commons.trunk_tip()?)?, &layout::article_text(slug))?.map(|e| e.id),
    };
    if let Some(a) = version.and_then(|v| ctx.read(v)) {
        s.title = Some(a.title.clone());
        s.authors = a.authors.clone();
        if s.contingent.is_none() {
            s.contingent = Some(ctx.who(&a.contingent));
        }
        s.version = version.map(|v| v.to_string());
    }
    Ok(s)
}

/// "A, B and C".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Credits {
    /// The credit block as lines of plain text (with links written out), the same in every
    /// export format: "Original by …", "Modified by …", "Quotes …".
    pub fn lines(&self) -> Vec<CreditLine> {
        let mut out = Vec::new();
        let o = &self.original.work;
        let mut text = String::from("Original");
        if let Some(t) = &o.title {
            text.push_str(&format!(" \u{201c}{t}\u{201d}"));
        }
        if !o.authors.is_empty() {
            text.push_str(&format!(" by {}", and_list(&o.authors)));
        }
        match &o.contingent {
            Some(c) if o.authors.is_empty() => text.push_str(&format!(" by {}", c.display())),
            Some(c) => text.push_str(&format!(" ({})", c.display())),
            None => {}
        }
        out.push(CreditLine { text, link: o.link() });
        for m in &self.modified_by {
            out.push(CreditLine { text: format!("Modified by {}", m.display()), link: m.url.clone() });
        }
        for q in &self.quotes {
            let mut text = String::from("Quotes");
            match (&q.title, &q.slug) {
                (Some(t), _) => text.push_str(&format!(" \u{201c}{t}\u{201d}")),
                (None, Some(s)) => text.push_str(&format!(" {s}")),
                (None, None) => {}
            }
            if !q.authors.is_empty() {
                text.push_str(&format!(" by {}", and_list(&q.authors)));
            }
            if let Some(c) = &q.contingent {
                text.push_str(&format!(" ({})", c.display()));
            }
            out.push(CreditLine { text, link: q.link() });
        }
        out
    }
}

/// One line of a credit block and its link, if one is known.
#[derive(Debug, Clone, Serialize)]
pub struct CreditLine {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}
