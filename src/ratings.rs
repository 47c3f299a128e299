//! Ratings storage: one notes ref per rater, `refs/notes/tribune/ratings/<rater>`, notes on
//! version blobs (so a rating follows the text to every branch that holds it).

use crate::commons::{commit_on, message, Change, Commons};
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
pub fn add(commons: &Commons, rater: &str, records: &BTreeMap<Oid, Vec<Rating>>, subject: &str) -> Result<Oid> {
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
        let mut change = Change::new(message(subject, &[("Action", "rate"), ("Rater", rater)]));
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
}

/// Every rater's notes on `version`.
pub fn of_version(commons: &Commons, version: Oid) -> Result<Vec<Noted>> {
    let repo = &commons.repo;
    let mut out = Vec::new();
    for (refname, tip) in repo.refs_with_prefix(RATINGS_REFS)? {
        let rater = refname.trim_start_matches(RATINGS_REFS).to_string();
        if let Some((_, text)) = repo.note_in(repo.commit_tree(tip)?, version)? {
            let (mut ratings, warnings) = parse_note(&text);
            // A record claiming another rater inside this rater's ref is not theirs to give.
            ratings.retain(|r| r.rater == rater);
            out.push(Noted { rater, ratings, warnings });
        }
    }
    Ok(out)
}
