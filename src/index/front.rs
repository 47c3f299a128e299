//! Reading an article's front matter for the index: a fast reader for the simple TOML that
//! tribune writes, which steps aside (to the `toml` crate) on anything it is not sure of.

use super::*;

/// What the index keeps of an article's front matter.
#[derive(Debug, Default, PartialEq)]
pub struct Fields {
    pub(super) title: String,
    pub(super) contingent: String,
    pub(super) date: String,
    pub(super) tags: Vec<String>,
    pub(super) authors: Vec<String>,
}

impl Fields {
    pub(super) fn into_entry(self, slug: String, version: Oid) -> Entry {
        Entry {
            slug,
            title: if self.title.is_empty() { "(no title)".into() } else { self.title },
            contingent: self.contingent,
            date: self.date,
            tags: self.tags,
            authors: self.authors,
            version: version.to_string(),
            arrived: 0,
            arrived_seq: 0,
        }
    }
}

/// An index entry for one article text.
pub fn entry_from_text(slug: &str, version: Oid, bytes: &[u8]) -> Entry {
    entry_fields(bytes).into_entry(slug.to_string(), version)
}

/// Reads just what the index needs from an article's front matter, leniently: an article
/// someone committed with plain git and broken front matter is still listed.
pub(crate) fn entry_fields(bytes: &[u8]) -> Fields {
    let Some(front) = front_of(bytes) else { return Fields::default() };
    // A full TOML parse is most of the cost of a cold index over 100,000 articles; the
    // simple line-by-line reading handles what tribune writes, and anything it does not
    // understand goes to the real parser.
    simple_front(&front).unwrap_or_else(|| table_front(&front))
}

/// The front matter of an article's text, as [`split`] finds it in the text read as UTF-8
/// (lossily), without reading or copying the body: only the lines up to the closing fence
/// are looked at. (A cold index reads 100,000 texts for their front matter alone.)
pub(super) fn front_of(bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    // A fence: `+++` and nothing but white space after it. ('\n' is never part of a UTF-8
    // sequence, so reading a line alone reads it as it reads within the whole text.)
    let fence = |line: &[u8]| {
        line.strip_prefix(b"+++").is_some_and(|rest| String::from_utf8_lossy(rest).chars().all(char::is_whitespace))
    };
    let mut lines = text.split_inclusive(|b| *b == b'\n');
    let first = lines.next()?;
    if !fence(first) {
        return None;
    }
    let start = first.len();
    let mut end = start;
    for line in lines {
        if fence(line) {
            return Some(String::from_utf8_lossy(&text[start..end]));
        }
        end += line.len();
    }
    None
}

/// The full TOML reading, field by field, so that one odd field does not hide the others.
pub(super) fn table_front(front: &str) -> Fields {
    let Ok(t) = toml::from_str::<toml::Table>(front) else { return Fields::default() };
    let string = |k: &str| t.get(k).and_then(|v| v.as_str()).map(|s| s.trim().to_string()).unwrap_or_default();
    let strings = |k: &str| -> Vec<String> {
        t.get(k)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).map(|s| s.trim().to_string()).collect())
            .unwrap_or_default()
    };
    Fields {
        title: string("title"),
        contingent: string("contingent"),
        date: crate::model::article::parse_date(t.get("date"))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        tags: strings("tags"),
        authors: strings("authors"),
    }
}

/// A value the fast reader understands.
enum Simple {
    Str(String),
    Strs(Vec<String>),
    Date(chrono::NaiveDate),
}

/// Reads front matter written the way tribune writes it: `key = value` lines whose values
/// are one-line strings without escapes, arrays of such strings on one line, or dates, with
/// `[[name]]` array tables after them. None, so that the caller falls back to the `toml`
/// crate, on anything else: it must never read what toml would refuse, or read it otherwise.
pub(super) fn simple_front(front: &str) -> Option<Fields> {
    // Keys are few: small lists, not hash maps (hashing them was a third of the reading of
    // a cold index). Past a few dozen, toml reads the rest.
    const MANY: usize = 64;
    let mut top: Vec<(&str, Simple)> = Vec::new();
    // The keys of the current `[[table]]` element, once past the top level.
    let mut section: Option<Vec<&str>> = None;
    let mut array_tables: Vec<&str> = Vec::new();
    let has = |top: &[(&str, Simple)], k: &str| top.iter().any(|(n, _)| *n == k);
    for line in front.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // TOML allows no control character but tab anywhere outside multi-line strings.
        let plain = line.bytes().all(|b| (b' '..0x7f).contains(&b) || b == b'\t');
        if !plain && line.chars().any(|c| c.is_control() && c != '\t') {
            return None;
        }
        let line = line.trim_matches([' ', '\t']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("[[") {
            let (name, after) = rest.split_once("]]")?;
            let name = name.trim_matches([' ', '\t']);
            if !bare_key(name) || !end_of_line(after) || has(&top, name) || array_tables.len() > MANY {
                return None;
            }
            if !array_tables.contains(&name) {
                array_tables.push(name);
            }
            section = Some(Vec::new());
            continue;
        }
        let key_len = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(line.len());
        let (key, rest) = line.split_at(key_len);
        let value = rest.trim_start_matches([' ', '\t']).strip_prefix('=')?.trim_start_matches([' ', '\t']);
        if key.is_empty() {
            return None;
        }
        let (v, after) = simple_value(value)?;
        if !end_of_line(after) {
            return None;
        }
        match &mut section {
            Some(keys) => {
                if keys.contains(&key) || keys.len() > MANY {
                    return None;
                }
                keys.push(key);
            }
            None => {
                if has(&top, key) || top.len() > MANY {
                    return None;
                }
                top.push((key, v));
            }
        }
    }
    if array_tables.iter().any(|t| has(&top, t)) {
        return None;
    }
    // As `table_front` reads a parsed table, field by field.
    let trimmed = |s: String| if s.trim().len() == s.len() { s } else { s.trim().to_string() };
    let mut take = |k: &str| top.iter().position(|(n, _)| *n == k).map(|i| top.swap_remove(i).1);
    let mut string = |k: &str| match take(k) {
        Some(Simple::Str(s)) => trimmed(s),
        _ => String::new(),
    };
    let (title, contingent) = (string("title"), string("contingent"));
    let date = match take("date").as_ref() {
        Some(Simple::Date(d)) => Some(*d).filter(|d| crate::model::article::writable_date(*d)),
        Some(Simple::Str(s)) => crate::model::article::parse_date(Some(&toml::Value::String(s.clone()))),
        _ => None,
    };
    let mut strings = |k: &str| match take(k) {
        Some(Simple::Strs(v)) => v.into_iter().map(trimmed).collect(),
        _ => Vec::new(),
    };
    Some(Fields {
        title,
        contingent,
        date: date.map(ymd).unwrap_or_default(),
        tags: strings("tags"),
        authors: strings("authors"),
    })
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (without chrono's formatting machinery
/// for the years of four digits, which are all that a cold index meets).
fn ymd(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if (0..=9999).contains(&d.year()) {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn bare_key(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Nothing, or a comment, after a value.
fn end_of_line(after: &str) -> bool {
    let after = after.trim_start_matches([' ', '\t']);
    after.is_empty() || after.starts_with('#')
}

/// A string, an array of strings or a local date at the start of `value`, and what follows.
fn simple_value(value: &str) -> Option<(Simple, &str)> {
    if value.starts_with('[') {
        let (v, after) = simple_array(value)?;
        return Some((Simple::Strs(v), after));
    }
    if value.starts_with(['"', '\'']) {
        let (s, after) = simple_string(value)?;
        return Some((Simple::Str(s), after));
    }
    // `YYYY-MM-DD`, a real day, and nothing of a time after it.
    let d = value.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let after = &value[10..];
    if !(after.is_empty() || after.starts_with([' ', '\t', '#'])) || !end_of_line(after) {
        return None;
    }
    let (y, m, day) = (d[..4].parse().ok()?, d[5..7].parse().ok()?, d[8..].parse().ok()?);
    Some((Simple::Date(chrono::NaiveDate::from_ymd_opt(y, m, day)?), after))
}

/// A one-line string without escapes at the start of `value`, and what follows it. Not a
/// multi-line string (`"""`, `'''`): those the fast reader leaves to toml.
pub(super) fn simple_string(value: &str) -> Option<(String, &str)> {
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &value[1..];
    let end = rest.find(quote)?;
    let s = &rest[..end];
    if end == 0 && rest[1..].starts_with(quote) {
        return None; // a multi-line string's opening
    }
    if quote == '"' && s.contains('\\') {
        return None;
    }
    Some((s.to_string(), &rest[end + 1..]))
}

/// `[ "a", 'b', ]` on one line, and what follows it.
pub(super) fn simple_array(value: &str) -> Option<(Vec<String>, &str)> {
    let ws = |s: &str| s.trim_start_matches([' ', '\t']).len();
    let mut rest = value.strip_prefix('[')?;
    rest = &rest[rest.len() - ws(rest)..];
    let mut out = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(']') {
            return Some((out, after));
        }
        let (s, after) = simple_string(rest)?;
        out.push(s);
        let after = &after[after.len() - ws(after)..];
        rest = match after.strip_prefix(',') {
            Some(a) => &a[a.len() - ws(a)..],
            None if after.starts_with(']') => after,
            None => return None,
        };
    }
}
