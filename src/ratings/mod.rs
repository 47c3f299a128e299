//! Ratings storage: one notes ref per rater, `refs/notes/tribune/ratings/<rater>`, notes on
//! version blobs (so a rating follows the text to every branch that holds it).

use crate::commons::{commit_on, message, Change, Commons, Snapshot};
use crate::git::{Edit, Oid};
use crate::model::rating::{parse_note, Rating};
use crate::ratings::provenance::Provenance;
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
                Edit::Tree { path, tree } => change.trees.push((path, tree)),
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
    /// the notes commit that introduced it (see [`provenance`]).
    pub verdicts: Vec<crate::signing::Verdict>,
}

/// The keys registered for a rater (a member of the same id), none for anyone else.
pub fn keys_of(roster: &Snapshot<'_>, rater: &str) -> Result<Vec<String>> {
    Ok(roster.member(rater)?.map(|m| m.keys).unwrap_or_default())
}

/// The standing of every record on a rater's notes ref at `tip`.
pub fn provenance(commons: &Commons, roster: &Snapshot<'_>, rater: &str, tip: Oid) -> Result<Provenance> {
    let keys = keys_of(roster, rater)?;
    crate::ratings::provenance::of_rater(&commons.repo, &commons.state_dir(), rater, tip, &keys)
}

/// Why a rater's notes ref cannot be read (it points at no commit, or at a broken one):
/// only that rater's records are skipped, with this warning.
fn broken_ref(repo: &crate::git::Repo, refname: &str, tip: Oid, e: &anyhow::Error) {
    let why = match repo.commit_if_commit(tip) {
        Ok(None) => format!("it points at {}, which is not a commit", tip.short(10)),
        _ => format!("{e:#}"),
    };
    crate::events::emit(crate::events::Event::BrokenRef { refname: refname.to_string(), why });
}

/// Every rater's notes on `version` (a notes ref that cannot be read is an event).
pub fn of_version(commons: &Commons, version: Oid) -> Result<Vec<Noted>> {
    Ok(of_versions(commons, &[version])?.pop().unwrap_or_default())
}

/// [`of_version`] of each of `versions` (an article's texts), the refs listed and the index
/// of who noted what brought up to date once for all of them.
pub fn of_versions(commons: &Commons, versions: &[Oid]) -> Result<Vec<Vec<Noted>>> {
    let roster = commons.snapshot()?;
    // The refs of every rater who ever noted a version (why shows the untrusted too), as
    // the index of who noted what says.
    let refs = commons.repo.refs_with_prefix(RATINGS_REFS)?;
    let candidates = crate::index::noted::candidates(commons, RATINGS_REFS, &refs, versions)?;
    versions.iter().zip(candidates).map(|(v, refs)| noted_on(commons, &roster, *v, refs)).collect()
}

/// The notes on `version` in `refs` (on two cores when many).
fn noted_on(commons: &Commons, roster: &Snapshot<'_>, version: Oid, refs: Vec<(String, Oid)>) -> Result<Vec<Noted>> {
    let repo = &commons.repo;
    let found = repo.par_map(&refs, 200, |r, (_, tip)| {
        Ok(r.commit_tree(*tip).and_then(|t| r.note_in(t, version)).map(|n| n.map(|(_, t)| t)))
    })?;
    let mut out = Vec::new();
    for ((refname, tip), text) in refs.into_iter().zip(found) {
        let rater = refname.trim_start_matches(RATINGS_REFS).to_string();
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                broken_ref(repo, &refname, tip, &e);
                continue;
            }
        };
        // A rater with a key: their signed records, including any another writer removed
        // (read from the derived cache, so only the first read walks their history).
        let (text, verdicts) = if keys_of(roster, &rater)?.is_empty() {
            let Some(text) = text else { continue };
            let n = parse_note(&text).0.len();
            (text, vec![crate::signing::Verdict::Unsigned; n])
        } else {
            let p = match provenance(commons, roster, &rater, tip) {
                Ok(p) => p,
                Err(e) => {
                    broken_ref(repo, &refname, tip, &e);
                    continue;
                }
            };
            let note = p.note(version, text.as_deref()).into_owned();
            if note.is_empty() {
                continue;
            }
            let v = crate::ratings::provenance::verdicts_of_note(&p, version, &note);
            (note, v)
        };
        let (ratings, warnings) = parse_note(&text);
        // A record claiming another rater inside this rater's ref is not theirs to give.
        let (ratings, verdicts): (Vec<Rating>, Vec<_>) =
            ratings.into_iter().zip(verdicts).filter(|(r, _)| r.rater == rater).unzip();
        out.push(Noted { rater, ratings, warnings, verdicts });
    }
    Ok(out)
}

/// Every rater's notes on every version, each rater's ref read once (on all cores), each
/// note handed to `keep` as it is read, which keeps what it needs of it: what a site build
/// asks instead of one lookup per rater and version. Records are judged as
/// [`of_versions`] judges them (a verified record another writer removed is shown); a
/// notes ref that cannot be read is an event and costs only its owner's records.
pub fn every_note<T: Send>(commons: &Commons, keep: impl Fn(Oid, Noted) -> Option<T> + Sync) -> Result<Vec<(Oid, T)>> {
    let roster = commons.snapshot()?;
    let refs = commons.repo.refs_with_prefix(RATINGS_REFS)?;
    let mut keyed = Vec::with_capacity(refs.len());
    for (refname, tip) in refs {
        let rater = refname.trim_start_matches(RATINGS_REFS).to_string();
        let keys = keys_of(&roster, &rater)?;
        keyed.push((refname, rater, tip, keys));
    }
    let state = commons.state_dir();
    let read = commons.repo.par_map(&keyed, 2, |repo, (_, rater, tip, keys)| {
        let one = || -> Result<Vec<(Oid, T)>> {
            let notes = repo.notes_in(repo.commit_tree(*tip)?)?;
            let p = if keys.is_empty() {
                None
            } else {
                Some(crate::ratings::provenance::of_rater(repo, &state, rater, *tip, keys)?)
            };
            let mut objects: Vec<(Oid, Option<Oid>)> =
                notes.into_iter().map(|(o, (_, blob))| (o, Some(blob))).collect();
            if let Some(p) = &p {
                for o in p.restored_objects() {
                    if !objects.iter().any(|(x, _)| *x == o) {
                        objects.push((o, None));
                    }
                }
            }
            let mut out = Vec::new();
            for (object, blob) in objects {
                let text = match blob {
                    Some(b) => Some(repo.read_blob(b)?),
                    None => None,
                };
                let (text, verdicts) = match &p {
                    None => {
                        let Some(text) = text else { continue };
                        let n = parse_note(&text).0.len();
                        (text, vec![crate::signing::Verdict::Unsigned; n])
                    }
                    Some(p) => {
                        let note = p.note(object, text.as_deref()).into_owned();
                        if note.is_empty() {
                            continue;
                        }
                        let v = crate::ratings::provenance::verdicts_of_note(p, object, &note);
                        (note, v)
                    }
                };
                let (ratings, warnings) = parse_note(&text);
                let (ratings, verdicts): (Vec<Rating>, Vec<_>) =
                    ratings.into_iter().zip(verdicts).filter(|(r, _)| r.rater == *rater).unzip();
                if let Some(t) = keep(object, Noted { rater: rater.clone(), ratings, warnings, verdicts }) {
                    out.push((object, t));
                }
            }
            Ok(out)
        };
        Ok(one().map_err(|e| (e, *tip)))
    })?;
    let mut out = Vec::new();
    for ((refname, _, _, _), r) in keyed.iter().zip(read) {
        match r {
            Ok(v) => out.extend(v),
            Err((e, tip)) => broken_ref(&commons.repo, refname, tip, &e),
        }
    }
    Ok(out)
}

pub mod provenance;
pub mod shared;
pub mod trust;
