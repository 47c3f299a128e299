//! Rival versions of an article: the trunk's text and every contingent edition's own text,
//! grouped by content (a version is a blob id), each with its status against the trunk.

use crate::commons::Commons;
use crate::git::Oid;
use crate::index::{self, Editions};
use anyhow::Result;
use serde::Serialize;

/// Where a version stands relative to the trunk's present text. It comes from blob ids and
/// the base each rewrite records, never from dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The same text as the trunk.
    Identical,
    /// A rewrite of the trunk's present text.
    Current,
    /// A rewrite of a text the trunk has since replaced.
    Stale,
    /// A text with no known trunk base (written with plain git, or an article the trunk lacks).
    Unrelated,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Identical => "identical",
            Status::Current => "current",
            Status::Stale => "stale",
            Status::Unrelated => "unrelated",
        }
    }
}

/// One distinct version and everything that says where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub version: String,
    /// `trunk`, `contingents/abc`, `origin/contingents/xyz`: every place holding this text.
    pub places: Vec<String>,
    pub title: String,
    /// Who made it: the trunk text's authors, or the author of the rewrite commit.
    pub author: String,
    /// The article's date for the trunk text; the rewrite commit's date (RFC 3339) otherwise.
    pub date: String,
    /// The rewrite's summary (None for the trunk's text, which has none of its own).
    pub summary: Option<String>,
    pub status: Status,
    /// The version this one was rewritten from, when recorded.
    pub base: Option<String>,
    /// The trunk version this line of rewrites started from.
    pub trunk_base: Option<String>,
    pub words_added: usize,
    pub words_removed: usize,
    pub commit: Option<String>,
}

/// The status of a text with this trunk base, given the trunk's present version.
pub fn status(version: &str, trunk_base: Option<&str>, trunk: Option<&str>) -> Status {
    match (trunk, trunk_base) {
        (Some(t), _) if t == version => Status::Identical,
        (Some(t), Some(b)) if t == b => Status::Current,
        (Some(_), Some(_)) => Status::Stale,
        _ => Status::Unrelated,
    }
}

/// [`list`] for the slug a command was given: refused when it is not a valid slug, or when
/// no version of it exists (with the nearest slugs as a hint).
pub fn of_article(commons: &Commons, slug: &str) -> Result<Vec<Version>> {
    crate::model::id::validate("slug", slug)?;
    let list = list(commons, &index::editions(commons)?, slug)?;
    if list.is_empty() {
        return Err(crate::articles::history::no_article(commons, slug));
    }
    Ok(list)
}

/// Every distinct version of `slug`: the trunk's first, then rewrites newest first.
pub fn list(commons: &Commons, editions: &Editions, slug: &str) -> Result<Vec<Version>> {
    let repo = &commons.repo;
    let trunk = index::trunk_entry(commons, slug)?;
    let trunk = trunk.as_ref();
    let trunk_version = trunk.map(|e| e.version.clone());
    let trunk_text = match trunk {
        Some(e) => Some(String::from_utf8_lossy(&repo.read_blob(e.version.parse()?)?).into_owned()),
        None => None,
    };
    let mut out: Vec<Version> = Vec::new();
    if let Some(e) = trunk {
        out.push(Version {
            version: e.version.clone(),
            places: vec!["trunk".into()],
            title: e.title.clone(),
            author: e.authors.join(", "),
            date: e.date.clone(),
            summary: None,
            status: Status::Identical,
            base: None,
            trunk_base: None,
            words_added: 0,
            words_removed: 0,
            commit: None,
        });
    }
    let mut rewrites = editions.rewrites(slug)?;
    rewrites.sort_by(|a, b| b.1.time.cmp(&a.1.time).then_with(|| a.0.label.cmp(&b.0.label)));
    for (edition, v) in &rewrites {
        if let Some(existing) = out.iter_mut().find(|x| x.version == v.version) {
            existing.places.push(edition.label.clone());
            continue;
        }
        let text = String::from_utf8_lossy(&repo.read_blob(v.version.parse::<Oid>()?)?).into_owned();
        let (added, removed) = match &trunk_text {
            Some(t) => {
                let c = textdiff::compare_bodies(t, &text);
                (c.words_added, c.words_removed)
            }
            None => (textdiff::front_and_body(&text).1.split_whitespace().count(), 0),
        };
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        out.push(Version {
            version: v.version.clone(),
            places: vec![edition.label.clone()],
            title: v.title.clone(),
            author: v.author.clone(),
            date: if v.commit.is_empty() {
                String::new()
            } else {
                crate::git::Timestamp { seconds: v.time, offset_minutes: 0 }.rfc3339_utc()
            },
            summary: Some(v.summary.clone()),
            status: status(&v.version, nonempty(&v.trunk_base).as_deref(), trunk_version.as_deref()),
            base: nonempty(&v.base),
            trunk_base: nonempty(&v.trunk_base),
            words_added: added,
            words_removed: removed,
            commit: nonempty(&v.commit),
        });
    }
    Ok(out)
}

/// Each version's standing as an act (same order as `list`). The trunk's text is judged
/// by the commit that last set it, as `log` judges it (against the authorised roster at
/// that commit's parent). A rewrite is judged by its edition commit as an act in the name
/// of the edition's contingent, against the authorised roster at the trunk's tip: an
/// edition's own tree carries no authority (its roster files are whatever its writer put
/// there, and the audit judges only the trunk). One signature check per version; unsigned
/// versions read no roster.
pub fn standings(commons: &Commons, slug: &str, list: &[Version]) -> Result<Vec<crate::governance::acts::Judged>> {
    use crate::governance::acts::{self, Judged, Standing};
    let repo = &commons.repo;
    let mut tip = None;
    let mut out = Vec::with_capacity(list.len());
    for v in list {
        let unsigned = Judged { standing: Standing::Unsigned, signer: None };
        if v.places.iter().any(|p| p == "trunk") {
            let last: Vec<_> = crate::articles::history::last_change(commons, slug)?.into_iter().collect();
            let judged = crate::articles::history::standings(commons, &last)?;
            out.push(judged.into_iter().next().unwrap_or(unsigned));
            continue;
        }
        let Some(commit) = v.commit.as_deref().and_then(|c| c.parse::<Oid>().ok()) else {
            out.push(unsigned);
            continue;
        };
        if repo.commit_signature(commit)?.is_none() {
            out.push(unsigned);
            continue;
        }
        // The place is the edition's label (`contingents/<id>`, or a remote's copy of it),
        // whose last part is the contingent, as the index of editions reads it.
        let contingent = v.places.first().and_then(|p| p.rsplit('/').next()).unwrap_or_default().to_string();
        if tip.is_none() {
            tip = Some(commons.trunk_tip()?);
        }
        if let Some(at) = tip {
            out.push(acts::standing_at(commons, at, commit, &[contingent.as_str()])?);
        }
    }
    Ok(out)
}

pub mod rewrite;
pub mod textdiff;
