//! Ratings storage: one notes ref per rater, `refs/notes/tribune/ratings/<rater>`, notes on
//! version blobs (so a rating follows the text to every branch that holds it).

use crate::commons::{commit_on, message, Change, Commons, Snapshot};
use crate::git::{Edit, Oid};
use crate::model::rating::{parse_note, Rating};
use crate::provenance::Provenance;
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
    /// What the signatures say of each record (same order as `ratings`): each is judged by
    /// the notes commit that introduced it (see [`crate::provenance`]).
    pub verdicts: Vec<crate::signing::Verdict>,
}

/// The keys registered for a rater (a member of the same id), none for anyone else.
pub fn keys_of(roster: &Snapshot<'_>, rater: &str) -> Result<Vec<String>> {
    Ok(roster.member(rater)?.map(|m| m.keys).unwrap_or_default())
}

/// The standing of every record on a rater's notes ref at `tip`.
pub fn provenance(commons: &Commons, roster: &Snapshot<'_>, rater: &str, tip: Oid) -> Result<Provenance> {
    let keys = keys_of(roster, rater)?;
    crate::provenance::of_rater(&commons.repo, &commons.state_dir(), rater, tip, &keys)
}

/// Why a rater's notes ref cannot be read (it points at no commit, or at a broken one):
/// only that rater's records are skipped, with this warning.
fn broken_ref(repo: &crate::git::Repo, refname: &str, tip: Oid, e: &anyhow::Error) -> String {
    let why = match repo.commit_if_commit(tip) {
        Ok(None) => format!("it points at {}, which is not a commit", tip.short(10)),
        _ => format!("{e:#}"),
    };
    format!("{refname} cannot be read ({why}); its ratings are skipped until it is repaired")
}

/// Every rater's notes on `version`, and a warning for each notes ref that cannot be read.
pub fn of_version(commons: &Commons, version: Oid) -> Result<(Vec<Noted>, Vec<String>)> {
    let repo = &commons.repo;
    let roster = commons.snapshot()?;
    // Every rater's ref is looked at (why shows the untrusted too): on two cores when many.
    let refs = repo.refs_with_prefix(RATINGS_REFS)?;
    let found = repo.par_map(&refs, 200, |r, (_, tip)| {
        Ok(r.commit_tree(*tip).and_then(|t| r.note_in(t, version)).map(|n| n.map(|(_, t)| t)))
    })?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for ((refname, tip), text) in refs.into_iter().zip(found) {
        let rater = refname.trim_start_matches(RATINGS_REFS).to_string();
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                problems.push(broken_ref(repo, &refname, tip, &e));
                continue;
            }
        };
        // A rater with a key: their signed records, including any another writer removed
        // (read from the derived cache, so only the first read walks their history).
        let (text, verdicts) = if keys_of(&roster, &rater)?.is_empty() {
            let Some(text) = text else { continue };
            let n = parse_note(&text).0.len();
            (text, vec![crate::signing::Verdict::Unsigned; n])
        } else {
            let p = match provenance(commons, &roster, &rater, tip) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(broken_ref(repo, &refname, tip, &e));
                    continue;
                }
            };
            let note = p.note(version, text.as_deref()).into_owned();
            if note.is_empty() {
                continue;
            }
            let v = crate::provenance::verdicts_of_note(&p, version, &note);
            (note, v)
        };
        let (ratings, warnings) = parse_note(&text);
        // A record claiming another rater inside this rater's ref is not theirs to give.
        let (ratings, verdicts): (Vec<Rating>, Vec<_>) =
            ratings.into_iter().zip(verdicts).filter(|(r, _)| r.rater == rater).unzip();
        out.push(Noted { rater, ratings, warnings, verdicts });
    }
    Ok((out, problems))
}

pub mod trust {
    //! Applying a reader's filter to the ratings.

    use super::{of_version, rater_ref};
    use crate::commons::Commons;
    use crate::error::fail;
    use crate::git::Oid;
    use crate::model::filter::{Filter, Tally};
    use crate::model::rating::{latest, parse_note, Rating};
    use crate::provenance::Provenance;
    use crate::signing::Verdict;
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

    /// A note: the annotated object and the note's blob.
    type NoteBlob = (Oid, Oid);

    /// The tally of every version any trusted rater rated on the filter's dimension.
    /// Reads only the trusted raters' notes refs; a ref that cannot be read skips only that
    /// rater's records, with a warning.
    pub fn tally_all(commons: &Commons, filter: &Filter) -> Result<(HashMap<Oid, Tally>, Vec<String>)> {
        let repo = &commons.repo;
        let mut out: HashMap<Oid, Tally> = HashMap::new();
        let mut problems = Vec::new();
        let roster = commons.snapshot()?;
        for (rater, weight) in &filter.trust {
            let refname = rater_ref(rater);
            let Some(tip) = repo.ref_target(&refname)? else { continue };
            let read = || -> Result<(Vec<NoteBlob>, Option<Provenance>)> {
                let notes = repo.notes_in(repo.commit_tree(tip)?)?;
                let ids = notes.into_iter().map(|(object, (_, blob))| (object, blob)).collect();
                // A rater with a key: each record judged by the commit that added it, and
                // the signed records another writer removed counted as the rater left them.
                let p = if super::keys_of(&roster, rater)?.is_empty() {
                    None
                } else {
                    Some(super::provenance(commons, &roster, rater, tip)?)
                };
                Ok((ids, p))
            };
            let (mut ids, prov) = match read() {
                Ok(x) => x,
                Err(e) => {
                    problems.push(super::broken_ref(repo, &refname, tip, &e));
                    continue;
                }
            };
            if filter.verified_only && prov.is_none() {
                continue;
            }
            let score = |object: Oid, text: &[u8]| -> Option<i8> {
                let text = match &prov {
                    Some(p) => p.note(object, Some(text)),
                    None => text.into(),
                };
                let (records, _) = parse_note(&text);
                let verdicts = match &prov {
                    Some(p) => crate::provenance::verdicts_of_note(p, object, &text),
                    None => vec![Verdict::Unsigned; records.len()],
                };
                let mine: Vec<_> = records
                    .into_iter()
                    .zip(verdicts)
                    .filter(|(r, v)| {
                        r.rater == *rater
                            && r.dimension == filter.dimension
                            && (!filter.verified_only || *v == Verdict::Verified)
                    })
                    .map(|(r, _)| r)
                    .collect();
                latest(&mine).values().next().map(|r| r.score)
            };
            let objects: HashMap<Oid, Oid> = ids.iter().map(|(o, b)| (*b, *o)).collect();
            let blobs: Vec<Oid> = ids.iter().map(|(_, b)| *b).collect();
            let mut scores = repo.map_blobs(&blobs, |blob, bytes| objects.get(&blob).and_then(|o| score(*o, bytes)))?;
            // Notes another writer removed whole.
            if let Some(p) = &prov {
                let present: std::collections::HashSet<Oid> = ids.iter().map(|(o, _)| *o).collect();
                for object in p.restored_objects().filter(|o| !present.contains(o)).collect::<Vec<_>>() {
                    ids.push((object, object));
                    scores.push(score(object, b""));
                }
            }
            for ((object, _), score) in ids.into_iter().zip(scores) {
                if let Some(s) = score {
                    let t = out.entry(object).or_default();
                    t.weighted += i64::from(*weight) * i64::from(s);
                    t.weights += i64::from(*weight);
                }
            }
        }
        Ok((out, problems))
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
        let (notes, problems) = of_version(commons, version)?;
        let (judged, tally, mut warnings) = judge(filter, version, &notes);
        warnings.extend(problems);
        Ok((judged, tally, warnings))
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
            let standing = |i: usize| noted.verdicts.get(i).cloned().unwrap_or(Verdict::Unsigned);
            // With verified ratings only, a record that does not count cannot replace one
            // that does: a forged later line must not hide the rater's own rating.
            let eligible: Vec<usize> = (0..noted.ratings.len())
                .filter(|i| !filter.verified_only || standing(*i) == Verdict::Verified)
                .collect();
            let pool: Vec<Rating> = eligible.iter().map(|i| noted.ratings[*i].clone()).collect();
            let counting: Vec<usize> = {
                let latest = latest(&pool);
                eligible
                    .iter()
                    .zip(&pool)
                    .filter(|(_, r)| {
                        latest.get(&(r.rater.clone(), r.dimension.clone())).is_some_and(|c| std::ptr::eq(*c, *r))
                    })
                    .map(|(i, _)| *i)
                    .collect()
            };
            for (i, r) in noted.ratings.iter().enumerate() {
                let weight = filter.trust.get(&r.rater).copied();
                let verdict = standing(i);
                let reason = if weight.is_none() {
                    "not a rater this filter trusts".to_string()
                } else if r.dimension != filter.dimension {
                    format!("rates {}, the filter reads {}", r.dimension, filter.dimension)
                } else if filter.verified_only && verdict == Verdict::Forged {
                    "forged (the rater has a registered key and the notes commit that added it is not signed by \
                     it), and the filter counts verified ratings only"
                        .to_string()
                } else if filter.verified_only && verdict != Verdict::Verified {
                    "unsigned, and the filter counts verified ratings only".to_string()
                } else if !counting.contains(&i) {
                    "replaced by the same rater's later rating".to_string()
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
