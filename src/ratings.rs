//! Ratings storage: one notes ref per rater, `refs/notes/tribune/ratings/<rater>`, notes on
//! version blobs (so a rating follows the text to every branch that holds it).

use crate::commons::{commit_on, message, Change, Commons, Snapshot};
use crate::git::{Edit, Oid};
use crate::model::rating::{parse_note, Rating};
use anyhow::Result;
use std::collections::BTreeMap;

pub const RATINGS_REFS: &str = "refs/notes/tribune/ratings/";

/// The notes ref of a rater.
pub fn rater_ref(rater: &str) -> String {
    format!("{RATINGS_REFS}{rater}")
}

/// Appends `records` (version → new lines) to `rater`'s notes in one commit, fanned out.
pub fn add(
    commons: &Commons,
    rater: &str,
    records: &BTreeMap<Oid, Vec<Rating>>,
    subject: &str,
    signer: Option<&crate::signing::Signer>,
    who: Option<&crate::git::Identity>,
) -> Result<Oid> {
    let repo = &commons.repo;
    let (commit, ()) = commit_on(repo, &rater_ref(rater), |snap| {
        let mut notes: BTreeMap<Oid, Vec<u8>> = BTreeMap::new();
        for (version, new) in records {
            let mut text = match snap.tree {
                Some(t) => repo.note_in(t, *version)?.map(|(_, b)| b).unwrap_or_default(),
                None => Vec::new(),
            };
            if !text.is_empty() && !text.ends_with(b"\n") {
                text.push(b'\n');
            }
            for r in new {
                text.extend_from_slice(r.to_line().as_bytes());
                text.push(b'\n');
            }
            notes.insert(*version, text);
        }
        let mut change = Change::new(message(subject, &[("Action", "rate"), ("Rater", rater)])).by(who);
        change.signer = signer.cloned();
        for edit in repo.note_edits(snap.tree, &notes)? {
            match edit {
                Edit::Put { path, blob } => change.links.push((path, blob)),
                Edit::Remove { path } => change.removes.push(path),
            }
        }
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// One rater's records on one version, with warnings for lines that are not records.
pub struct Noted {
    pub rater: String,
    pub ratings: Vec<Rating>,
    pub warnings: Vec<String>,
    /// What the signature of the rater's notes ref says.
    pub verdict: crate::signing::Verdict,
}

/// The keys registered for a rater (a member of the same id), none for anyone else.
pub fn keys_of(roster: &Snapshot<'_>, rater: &str) -> Result<Vec<String>> {
    Ok(roster.member(rater)?.map(|m| m.keys).unwrap_or_default())
}

/// Checks the tip of a rater's notes ref: signed by a key registered for the rater in
/// `roster`? The tip's signature vouches for the whole notes tree it commits.
pub fn verdict(roster: &Snapshot<'_>, rater: &str, tip: Oid) -> Result<(crate::signing::Verdict, String)> {
    let keys = keys_of(roster, rater)?;
    let sig = roster.repo.commit_signature(tip)?;
    Ok(match &sig {
        Some((s, data)) => crate::signing::verify(Some(s), data, &keys),
        None => crate::signing::verify(None, &[], &keys),
    })
}

/// Every rater's notes on `version`.
pub fn of_version(commons: &Commons, version: Oid) -> Result<Vec<Noted>> {
    let repo = &commons.repo;
    let roster = commons.snapshot()?;
    // Every rater's ref is looked at (why shows the untrusted too): on two cores when many.
    let refs = repo.refs_with_prefix(RATINGS_REFS)?;
    let found =
        repo.par_map(&refs, 200, |r, (_, tip)| Ok(r.note_in(r.commit_tree(*tip)?, version)?.map(|(_, t)| t)))?;
    let mut out = Vec::new();
    for ((refname, tip), text) in refs.into_iter().zip(found) {
        let rater = refname.trim_start_matches(RATINGS_REFS).to_string();
        if let Some(text) = text {
            let (mut ratings, warnings) = parse_note(&text);
            // A record claiming another rater inside this rater's ref is not theirs to give.
            ratings.retain(|r| r.rater == rater);
            let (verdict, _) = verdict(&roster, &rater, tip)?;
            out.push(Noted { rater, ratings, warnings, verdict });
        }
    }
    Ok(out)
}

pub mod trust {
    //! Applying a reader's filter to the ratings.

    use super::{of_version, rater_ref};
    use crate::commons::Commons;
    use crate::error::fail;
    use crate::git::Oid;
    use crate::model::filter::{Filter, Tally};
    use crate::model::rating::{latest, parse_note};
    use anyhow::Result;
    use serde::Serialize;
    use std::collections::HashMap;

    /// Where filters live: `filters/<name>.toml` on the trunk (shared) or in the git
    /// directory's `tribune/filters/` (private, and preferred on a clash of names).
    pub fn load(commons: &Commons, name: &str) -> Result<(Filter, &'static str)> {
        crate::model::id::validate("filter name", name)?;
        let private = commons.state_dir().join("filters").join(format!("{name}.toml"));
        if let Ok(text) = std::fs::read_to_string(&private) {
            return Ok((Filter::parse(&private.display().to_string(), &text)?, "private"));
        }
        let path = format!("filters/{name}.toml");
        if let Some((_, bytes)) = commons.snapshot()?.blob(&path)? {
            return Ok((Filter::parse(&path, &String::from_utf8_lossy(&bytes))?, "shared"));
        }
        let known: Vec<String> = all(commons)?.into_iter().map(|(n, _, _)| n).collect();
        Err(fail(
            format!("there is no filter {name:?}"),
            if known.is_empty() {
                "make one with `tribune filter add NAME --trust RATER --dimension D --min-score X`".to_string()
            } else {
                format!("known filters: {}", known.join(", "))
            },
        ))
    }

    /// Every filter: (name, `private` or `shared`, filter).
    pub fn all(commons: &Commons) -> Result<Vec<(String, &'static str, Filter)>> {
        let mut out = Vec::new();
        let dir = commons.state_dir().join("filters");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(n) = name.strip_suffix(".toml") {
                    if let Ok(text) = std::fs::read_to_string(e.path()) {
                        out.push((n.to_string(), "private", Filter::parse(&e.path().display().to_string(), &text)?));
                    }
                }
            }
        }
        let snap = commons.snapshot()?;
        if let Some(tree) = snap.tree {
            for e in commons.repo.list_dir(tree, "filters")? {
                if let Some(n) = e.name.strip_suffix(".toml") {
                    if !out.iter().any(|(m, _, _)| m == n) {
                        let text = String::from_utf8_lossy(&commons.repo.read_blob(e.id)?).into_owned();
                        out.push((n.to_string(), "shared", Filter::parse(&format!("filters/{}", e.name), &text)?));
                    }
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The tally of every version any trusted rater rated on the filter's dimension.
    /// Reads only the trusted raters' notes refs.
    pub fn tally_all(commons: &Commons, filter: &Filter) -> Result<HashMap<Oid, Tally>> {
        let repo = &commons.repo;
        let mut out: HashMap<Oid, Tally> = HashMap::new();
        let roster = commons.snapshot()?;
        for (rater, weight) in &filter.trust {
            let Some(tip) = repo.ref_target(&rater_ref(rater))? else { continue };
            if filter.verified_only && super::verdict(&roster, rater, tip)?.0 != crate::signing::Verdict::Verified {
                continue;
            }
            let notes = repo.notes_in(repo.commit_tree(tip)?)?;
            let ids: Vec<(Oid, Oid)> = notes.into_iter().map(|(object, (_, blob))| (object, blob)).collect();
            let blobs: Vec<Oid> = ids.iter().map(|(_, b)| *b).collect();
            let scores = repo.map_blobs(&blobs, |_, bytes| {
                let (records, _) = parse_note(bytes);
                let mine: Vec<_> =
                    records.into_iter().filter(|r| r.rater == *rater && r.dimension == filter.dimension).collect();
                latest(&mine).values().next().map(|r| r.score)
            })?;
            for ((object, _), score) in ids.into_iter().zip(scores) {
                if let Some(s) = score {
                    let t = out.entry(object).or_default();
                    t.weighted += i64::from(*weight) * i64::from(s);
                    t.weights += i64::from(*weight);
                }
            }
        }
        Ok(out)
    }

    /// One rating and what the filter made of it.
    #[derive(Debug, Serialize)]
    pub struct Judged {
        pub rater: String,
        pub dimension: String,
        pub score: i8,
        pub at: String,
        pub weight: u32,
        pub counted: bool,
        /// Why a rating was left out ("" when counted).
        pub reason: String,
    }

    /// Every rating of `version`, each counted or left out with its reason, and the tally.
    pub fn explain(commons: &Commons, filter: &Filter, version: Oid) -> Result<(Vec<Judged>, Tally, Vec<String>)> {
        Ok(judge(filter, version, &of_version(commons, version)?))
    }

    /// [`explain`] over notes already read.
    pub fn judge(filter: &Filter, version: Oid, notes: &[super::Noted]) -> (Vec<Judged>, Tally, Vec<String>) {
        let mut judged = Vec::new();
        let mut tally = Tally::default();
        let mut warnings = Vec::new();
        for noted in notes {
            for w in &noted.warnings {
                warnings.push(format!("the note of {} on {version}: {w}; that line is skipped", noted.rater));
            }
            let counting = latest(&noted.ratings);
            for r in &noted.ratings {
                let weight = filter.trust.get(&r.rater).copied();
                let is_latest =
                    counting.get(&(r.rater.clone(), r.dimension.clone())).is_some_and(|c| std::ptr::eq(*c, r));
                let reason = if weight.is_none() {
                    "not a rater this filter trusts".to_string()
                } else if r.dimension != filter.dimension {
                    format!("rates {}, the filter reads {}", r.dimension, filter.dimension)
                } else if !is_latest {
                    "replaced by the same rater's later rating".to_string()
                } else if filter.verified_only && noted.verdict == crate::signing::Verdict::Forged {
                    "forged (the rater has a registered key and the notes are not signed by it), \
                     and the filter counts verified ratings only"
                        .to_string()
                } else if filter.verified_only && noted.verdict != crate::signing::Verdict::Verified {
                    "unsigned, and the filter counts verified ratings only".to_string()
                } else {
                    String::new()
                };
                let counted = reason.is_empty();
                if counted {
                    tally.weighted += i64::from(weight.unwrap_or(0)) * i64::from(r.score);
                    tally.weights += i64::from(weight.unwrap_or(0));
                }
                judged.push(Judged {
                    rater: r.rater.clone(),
                    dimension: r.dimension.clone(),
                    score: r.score,
                    at: r.at.clone(),
                    weight: weight.unwrap_or(0),
                    counted,
                    reason,
                });
            }
        }
        (judged, tally, warnings)
    }
}
