//! `rate --batch` files: JSON lines, or CSV (RFC 4180, read by the `csv` crate) with a
//! header naming the columns. Errors name the file and the line.

use crate::error::UserError;
use serde::{Deserialize, Serialize};

/// One line of a `rate --batch` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchLine {
    pub slug: String,
    /// `trunk` (default), a contingent id, or a version id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rater: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    pub score: i8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

const HINT: &str = "each line is a JSON object {\"slug\":…,\"score\":…} (also version, rater, dimension, comment), \
                    or a CSV file whose header names those columns";

/// Reads a batch file: JSON lines, or CSV with a header naming the columns (slug, version,
/// rater, dimension, score, comment). Each line comes with its 1-based line number in the
/// file (a CSV record's first line); blank lines are skipped.
pub fn parse_batch(name: &str, text: &str) -> Result<Vec<(usize, BatchLine)>, UserError> {
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else { return Ok(Vec::new()) };
    if first.trim_start().starts_with('{') {
        json_lines(name, text)
    } else {
        csv(name, text)
    }
}

fn json_lines(name: &str, text: &str) -> Result<Vec<(usize, BatchLine)>, UserError> {
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parsed: BatchLine =
            serde_json::from_str(line).map_err(|e| UserError::with_hint(format!("{name}:{}: {e}", no + 1), HINT))?;
        out.push((no + 1, parsed));
    }
    Ok(out)
}

fn csv(name: &str, text: &str) -> Result<Vec<(usize, BatchLine)>, UserError> {
    // The header is read as a record too, so that its line is known and blank lines before
    // it are skipped like any other.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut cols = (0, 0);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(text, p.byte()));
            UserError::with_hint(format!("{name}:{line}: not CSV: {e}"), HINT)
        })?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let no = record.position().map_or(0, |p| line_at(text, p.byte()));
        let Some(h) = &header else {
            let h: Vec<String> = record.iter().map(|f| f.trim().to_ascii_lowercase()).collect();
            let col = |n: &str| h.iter().position(|x| x == n);
            let (Some(slug), Some(score)) = (col("slug"), col("score")) else {
                return Err(UserError::with_hint(
                    format!("{name}:{no}: the CSV header has no slug or no score column"),
                    HINT,
                ));
            };
            cols = (slug, score);
            header = Some(h);
            continue;
        };
        let col = |n: &str| h.iter().position(|x| x == n);
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).filter(|s| !s.is_empty());
        let score_text = get(Some(cols.1)).unwrap_or_default();
        let score: i8 = score_text.parse().map_err(|_| {
            UserError::with_hint(format!("{name}:{no}: the score {score_text:?} is not a number"), HINT)
        })?;
        let owned = |i: Option<usize>| get(i).map(str::to_string);
        out.push((
            no,
            BatchLine {
                slug: owned(Some(cols.0)).unwrap_or_default(),
                version: owned(col("version")),
                rater: owned(col("rater")),
                dimension: owned(col("dimension")),
                score,
                comment: owned(col("comment")),
            },
        ));
    }
    Ok(out)
}

/// The 1-based line of `text` where the record read from byte `at` starts. The csv crate
/// gives a record the position where the previous one ended, blank lines before it
/// included (and its line count misses some), so the blank lines are stepped over here.
fn line_at(text: &str, at: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
    while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
        at += 1;
    }
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn batch_files_read_as_json_lines_or_csv() {
        let j = parse_batch("b", "{\"slug\":\"a\",\"score\":2}\n\n{\"slug\":\"b\",\"score\":-1,\"rater\":\"x\"}\n")
            .unwrap();
        assert_eq!(j.len(), 2);
        assert_eq!(j[1].0, 3);
        let c = parse_batch("b", "slug,score,comment\na,1,\"says \"\"no\"\", ok\"\n").unwrap();
        assert_eq!(c[0].1.comment.as_deref(), Some("says \"no\", ok"));
        let e = parse_batch("b.csv", "slug,score\na,lots\n").unwrap_err();
        assert!(e.message.starts_with("b.csv:2:"), "{}", e.message);
        assert!(parse_batch("b", "{\"slug\":1}\n").unwrap_err().message.starts_with("b:1:"));
    }

    #[test]
    fn csv_lines_are_counted_in_the_file_with_quoted_newlines_and_crlf() {
        let text = "\r\nSlug , Score,comment\r\na,1,\"two\r\nlines\"\r\n\r\nb,-2\r\n";
        let c = parse_batch("b.csv", text).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].0, c[0].1.comment.as_deref()), (3, Some("two\r\nlines")));
        assert_eq!((c[1].0, c[1].1.slug.as_str(), c[1].1.score, c[1].1.comment.as_deref()), (6, "b", -2, None));
        let e = parse_batch("b.csv", "slug,version\na,trunk\n").unwrap_err();
        assert!(e.message.starts_with("b.csv:1:") && e.message.contains("no score"), "{}", e.message);
    }

    fn field() -> impl Strategy<Value = String> {
        // Commas, quotes, newlines, spaces inside; trimmed and non-empty, as the reader keeps them.
        "[a-z0-9 ,\"\n\r\té'-]{0,12}".prop_map(|s| s.trim().to_string()).prop_filter("non-empty", |s| !s.is_empty())
    }

    fn line() -> impl Strategy<Value = BatchLine> {
        (
            field(),
            proptest::option::of(field()),
            proptest::option::of(field()),
            proptest::option::of(field()),
            any::<i8>(),
            proptest::option::of(field()),
        )
            .prop_map(|(slug, version, rater, dimension, score, comment)| BatchLine {
                slug,
                version,
                rater,
                dimension,
                score,
                comment,
            })
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(text in "(?s).{0,300}") {
            let _ = parse_batch("b", &text);
            let _ = parse_batch("b", &format!("slug,score\n{text}"));
            let _ = parse_batch("b", &format!("{{{text}"));
        }

        #[test]
        fn json_lines_round_trip(lines in prop::collection::vec(line(), 1..6)) {
            let text: String = lines.iter().map(|l| serde_json::to_string(l).unwrap() + "\n").collect();
            let read: Vec<BatchLine> = parse_batch("b", &text).unwrap().into_iter().map(|(_, l)| l).collect();
            prop_assert_eq!(read, lines);
        }

        #[test]
        fn csv_written_by_the_csv_crate_round_trips(lines in prop::collection::vec(line(), 1..6), crlf: bool) {
            let mut w = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            w.write_record(["comment", "score", "slug", "version", "rater", "dimension"]).unwrap();
            let o = |s: &Option<String>| s.clone().unwrap_or_default();
            for l in &lines {
                w.write_record([o(&l.comment), l.score.to_string(), l.slug.clone(), o(&l.version), o(&l.rater), o(&l.dimension)]).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let read: Vec<BatchLine> = parse_batch("b.csv", &text).unwrap().into_iter().map(|(_, l)| l).collect();
            prop_assert_eq!(read, lines);
        }
    }
}
