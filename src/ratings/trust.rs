//! Applying a reader's filter to the ratings.

use super::{of_version, rater_ref};
use crate::commons::Commons;
use crate::error::fail;
use crate::git::Oid;
use crate::model::filter::{Filter, Rule, Tally};
use crate::model::rating::{latest, parse_note, Rating};
use crate::ratings::provenance::Provenance;
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

/// The tallies of every version any trusted rater rated on a dimension the filter reads: one
/// per condition of the filter ([`Filter::rules`], in that order). Reads each trusted
/// rater's notes ref once, whatever the number of conditions; a ref that cannot be read
/// skips only that rater's records, with a warning.
pub fn tally_all(commons: &Commons, filter: &Filter) -> Result<HashMap<Oid, Vec<Tally>>> {
    let repo = &commons.repo;
    let rules = filter.rules();
    let mut out: HashMap<Oid, Vec<Tally>> = HashMap::new();
    let roster = commons.snapshot()?;
    let raters: std::collections::BTreeSet<&String> = rules.iter().flat_map(|r| r.trust.keys()).collect();
    for rater in raters {
        // The rater's weight in each condition (None: not trusted there).
        let weights: Vec<Option<u32>> = rules.iter().map(|r| r.trust.get(rater).copied()).collect();
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
                super::broken_ref(repo, &refname, tip, &e);
                continue;
            }
        };
        if filter.verified_only && prov.is_none() {
            continue;
        }
        // The rater's latest score on each condition's dimension, where it is trusted.
        let score = |object: Oid, text: &[u8]| -> Vec<Option<i8>> {
            let text = match &prov {
                Some(p) => p.note(object, Some(text)),
                None => text.into(),
            };
            let (records, _) = parse_note(&text);
            let verdicts = match &prov {
                Some(p) => crate::ratings::provenance::verdicts_of_note(p, object, &text),
                None => vec![Verdict::Unsigned; records.len()],
            };
            let mine: Vec<_> = records
                .into_iter()
                .zip(verdicts)
                .filter(|(r, v)| {
                    r.rater == *rater
                        && rules.iter().any(|rule| rule.dimension == r.dimension)
                        && (!filter.verified_only || *v == Verdict::Verified)
                })
                .map(|(r, _)| r)
                .collect();
            let latest = latest(&mine);
            rules
                .iter()
                .zip(&weights)
                .map(|(rule, w)| {
                    w.and_then(|_| latest.get(&(rater.clone(), rule.dimension.to_string())).map(|r| r.score))
                })
                .collect()
        };
        let objects: HashMap<Oid, Oid> = ids.iter().map(|(o, b)| (*b, *o)).collect();
        let blobs: Vec<Oid> = ids.iter().map(|(_, b)| *b).collect();
        let mut scores =
            repo.map_blobs(&blobs, |blob, bytes| objects.get(&blob).map(|o| score(*o, bytes)).unwrap_or_default())?;
        // Notes another writer removed whole.
        if let Some(p) = &prov {
            let present: std::collections::HashSet<Oid> = ids.iter().map(|(o, _)| *o).collect();
            for object in p.restored_objects().filter(|o| !present.contains(o)).collect::<Vec<_>>() {
                ids.push((object, object));
                scores.push(score(object, b""));
            }
        }
        for ((object, _), per_rule) in ids.into_iter().zip(scores) {
            for (i, (s, w)) in per_rule.into_iter().zip(&weights).enumerate() {
                if let (Some(s), Some(w)) = (s, w) {
                    let t = out.entry(object).or_insert_with(|| vec![Tally::default(); rules.len()]);
                    t[i].weighted += i64::from(*w) * i64::from(s);
                    t[i].weights += i64::from(*w);
                }
            }
        }
    }
    Ok(out)
}

/// One condition of a filter applied to a version: every rating judged, and the tally.
pub type Condition = (Vec<Judged>, Tally);

/// One rating and what the filter made of it.
#[derive(Debug, Serialize)]
pub struct Judged {
    pub rater: String,
    pub dimension: String,
    pub score: i8,
    pub at: String,
    pub weight: u32,
    pub counted: bool,
    /// Why a rating was left out (None when counted).
    pub reason: Option<String>,
}

/// Every rating of `version` under each condition of the filter ([`Filter::rules`], in
/// that order), each counted or left out with its reason, with the condition's tally; and
/// the warnings about unreadable lines.
pub fn explain(commons: &Commons, filter: &Filter, version: Oid) -> Result<(Vec<Condition>, Vec<String>)> {
    Ok(judge(filter, version, &of_version(commons, version)?))
}

/// [`explain`] over notes already read.
pub fn judge(filter: &Filter, version: Oid, notes: &[super::Noted]) -> (Vec<Condition>, Vec<String>) {
    let mut warnings = Vec::new();
    for noted in notes {
        for w in &noted.warnings {
            warnings.push(format!("the note of {} on {version}: {w}; that line is skipped", noted.rater));
        }
    }
    let rules = filter.rules();
    let judged = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            judge_rule(rule, filter.verified_only, if i == 0 { "the filter" } else { "this condition" }, notes)
        })
        .collect();
    (judged, warnings)
}

/// The ratings under one condition; `reader` names it in the reasons ("the filter reads
/// politics").
fn judge_rule(rule: &Rule<'_>, verified_only: bool, reader: &str, notes: &[super::Noted]) -> Condition {
    let mut judged = Vec::new();
    let mut tally = Tally::default();
    for noted in notes {
        let standing = |i: usize| noted.verdicts.get(i).cloned().unwrap_or(Verdict::Unsigned);
        // With verified ratings only, a record that does not count cannot replace one
        // that does: a forged later line must not hide the rater's own rating.
        let eligible: Vec<usize> =
            (0..noted.ratings.len()).filter(|i| !verified_only || standing(*i) == Verdict::Verified).collect();
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
            let weight = rule.trust.get(&r.rater).copied();
            let verdict = standing(i);
            let reason = if weight.is_none() {
                format!("not a rater {} trusts", if reader == "the filter" { "this filter" } else { reader })
            } else if r.dimension != rule.dimension {
                format!("rates {}, {reader} reads {}", r.dimension, rule.dimension)
            } else if verified_only && verdict == Verdict::Forged {
                "forged (the rater has a registered key and the notes commit that added it is not signed by \
                 it), and the filter counts verified ratings only"
                    .to_string()
            } else if verified_only && verdict != Verdict::Verified {
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
                reason: (!counted).then_some(reason),
            });
        }
    }
    (judged, tally)
}
