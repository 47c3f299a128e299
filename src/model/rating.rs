//! Ratings: one JSON record per line in a git note on the version's blob.
//!
//! `{"v":1,"rater":"alice","dimension":"politics","score":2,"at":"2026-11-21T10:00:00Z","comment":"…"}`
//! Records are self-describing, so two copies of a note merge by the union of their lines.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MIN_SCORE: i8 = -2;
pub const MAX_SCORE: i8 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub v: u32,
    pub rater: String,
    pub dimension: String,
    pub score: i8,
    /// RFC 3339, UTC (`2026-11-21T10:00:00Z`): when the rating was given.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Rating {
    /// The record as one line of JSON (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Reads a note: its valid records, and a warning (line number and reason) for each line
/// that is not one. A bad line never hides the good ones.
pub fn parse_note(text: &[u8]) -> (Vec<Rating>, Vec<String>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (i, line) in text.split(|&c| c == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Rating>(line) {
            Ok(r) if r.v != 1 => warnings.push(format!("line {}: record version {} is not understood", i + 1, r.v)),
            Ok(r) if !(MIN_SCORE..=MAX_SCORE).contains(&r.score) => {
                warnings.push(format!("line {}: score {} is outside {MIN_SCORE}..{MAX_SCORE}", i + 1, r.score))
            }
            Ok(r) if chrono::DateTime::parse_from_rfc3339(&r.at).is_err() => {
                warnings.push(format!("line {}: {:?} is not an RFC 3339 time", i + 1, r.at))
            }
            Ok(r) => out.push(r),
            Err(e) => warnings.push(format!("line {}: not a rating record ({e})", i + 1)),
        }
    }
    (out, warnings)
}

/// The rating that counts for each (rater, dimension): the latest by `at`; of records with
/// the same time, the one further down the note (a note grows by appending; after a merge
/// its lines are sorted, so every machine still picks the same one).
pub fn latest(ratings: &[Rating]) -> BTreeMap<(String, String), &Rating> {
    let mut out: BTreeMap<(String, String), &Rating> = BTreeMap::new();
    for r in ratings {
        let key = (r.rater.clone(), r.dimension.clone());
        let newer = match out.get(&key) {
            None => true,
            Some(old) => {
                let t = |x: &Rating| chrono::DateTime::parse_from_rfc3339(&x.at).map(|d| d.timestamp()).unwrap_or(0);
                t(r) >= t(old)
            }
        };
        if newer {
            out.insert(key, r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A note from anywhere: its records read, every other line a warning, never a panic.
        #[test]
        fn any_note_is_read_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), text in "(?s).{0,200}") {
            let _ = parse_note(&bytes);
            let (ok, warnings) = parse_note(text.as_bytes());
            prop_assert!(ok.len() + warnings.len() <= text.split('\n').count());
        }

        /// What `rate` appends reads back as it was, whatever the comment holds.
        #[test]
        fn records_round_trip(
            records in prop::collection::vec(
                ("[a-z][a-z0-9-]{0,8}", "[a-z]{1,8}", MIN_SCORE..=MAX_SCORE, 0i64..4_000_000_000, proptest::option::of(any::<String>())),
                0..5,
            )
        ) {
            let records: Vec<Rating> = records
                .into_iter()
                .map(|(rater, dimension, score, t, comment)| Rating {
                    v: 1,
                    rater,
                    dimension,
                    score,
                    at: chrono::DateTime::from_timestamp(t, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    comment,
                })
                .collect();
            let text: String = records.iter().map(|r| r.to_line() + "\n").collect();
            let (read, warnings) = parse_note(text.as_bytes());
            prop_assert!(warnings.is_empty(), "{:?}", warnings);
            prop_assert_eq!(read, records);
        }
    }

    fn r(rater: &str, dim: &str, score: i8, at: &str) -> Rating {
        Rating { v: 1, rater: rater.into(), dimension: dim.into(), score, at: at.into(), comment: None }
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let good = r("alice", "politics", 2, "2026-11-21T10:00:00Z").to_line();
        let text = format!("{good}\nnot json\n{}\n", good.replace("\"score\":2", "\"score\":9"));
        let (ok, warnings) = parse_note(text.as_bytes());
        assert_eq!(ok.len(), 1);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].starts_with("line 2:"), "{warnings:?}");
        assert!(warnings[1].contains("outside"), "{warnings:?}");
    }

    #[test]
    fn the_latest_rating_per_rater_and_dimension_counts() {
        let all = vec![
            r("alice", "politics", 2, "2026-11-21T10:00:00Z"),
            r("alice", "politics", -1, "2026-11-22T10:00:00Z"),
            r("alice", "accuracy", 1, "2026-11-20T10:00:00Z"),
        ];
        let l = latest(&all);
        assert_eq!(l[&("alice".into(), "politics".into())].score, -1);
        assert_eq!(l.len(), 2);
        // Same second: the later line wins.
        let same =
            vec![r("bob", "politics", 1, "2026-11-21T10:00:00Z"), r("bob", "politics", -2, "2026-11-21T10:00:00Z")];
        assert_eq!(latest(&same)[&("bob".into(), "politics".into())].score, -2);
    }
}
