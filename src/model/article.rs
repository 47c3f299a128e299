//! Articles: Markdown with TOML front matter between `+++` lines (the Zola convention).

use crate::error::UserError;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Licences that dedicate a text to the public domain (SPDX ids). Nothing else may enter
/// the commons: anyone must be free to take any article.
pub const PUBLIC_DOMAIN: [&str; 4] = ["CC0-1.0", "Unlicense", "PDDL-1.0", "CC-PDDC"];

/// W3C PROV relation names a `derived_from` entry may use.
pub const RELATIONS: [&str; 3] = ["wasRevisionOf", "wasDerivedFrom", "wasQuotedFrom"];

const FENCE: &str = "+++";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Derivation {
    pub relation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contingent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A parsed, validated article.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Article {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub authors: Vec<String>,
    pub contingent: String,
    pub date: NaiveDate,
    pub tags: Vec<String>,
    pub license: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<Derivation>,
    /// Captions and credits of the files beside the text, and media kept elsewhere
    /// (`[[media]]`; see [`super::media`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<super::media::Media>,
    /// The Markdown after the front matter.
    #[serde(skip)]
    pub body: String,
}

/// Finds where an error in the front matter is: `file:line`.
struct Locator<'a> {
    file: &'a str,
    front: &'a str,
}

impl Locator<'_> {
    /// The line of the file where `key = …` is written, else the opening fence.
    fn line_of(&self, key: &str) -> usize {
        self.front
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map(|i| i + 2)
            .unwrap_or(1)
    }
    fn err(&self, key: &str, message: String, hint: &str) -> UserError {
        UserError::with_hint(format!("{}:{}: {message}", self.file, self.line_of(key)), hint)
    }
    /// The line of the `n`th (from 1) `[[key]]` table header, else of `key = …`.
    fn line_of_table(&self, key: &str, n: usize) -> usize {
        let header = format!("[[{key}]]");
        let found = self.front.lines().enumerate().filter(|(_, l)| l.trim() == header).nth(n.saturating_sub(1));
        found.map(|(i, _)| i + 2).unwrap_or_else(|| self.line_of(key))
    }
}

const FRONT_HINT: &str =
    "an article starts with a `+++` line, TOML fields (title, authors, contingent, date, license), \
a closing `+++` line, then the Markdown body; `man 5 tribune-format` has an example";

/// Checks that `bytes` are UTF-8 and says where they are not.
pub fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, UserError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = good.len() - good.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0) + 1;
        UserError::with_hint(
            format!("{file}:{line}:{col}: not UTF-8 text (byte 0x{:02x})", bytes[e.valid_up_to()]),
            "save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`)",
        )
    })
}

/// Splits a text into (front matter, body). None when there is no front matter at all.
pub fn split(file: &str, text: &str) -> Result<Option<(String, String)>, UserError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        if first.trim_end() == "---" {
            return Err(UserError::with_hint(
                format!("{file}:1: front matter opens with '---' (YAML); tribune reads TOML between '+++' lines"),
                FRONT_HINT,
            ));
        }
        return Ok(None);
    }
    let mut front = String::new();
    let mut offset = first.len();
    for line in lines {
        offset += line.len();
        if line.trim_end() == FENCE {
            return Ok(Some((front, text[offset..].to_string())));
        }
        front.push_str(line);
    }
    Err(UserError::with_hint(format!("{file}:1: the front matter opened by '+++' is never closed"), FRONT_HINT))
}

impl Article {
    /// Parses and validates an article. `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Article, UserError> {
        let (front, body) = match split(file, text)? {
            Some(parts) => parts,
            None => {
                return Err(UserError::with_hint(
                    format!("{file}:1: expected front matter (a '+++' line), found {:?}", first_line(text)),
                    "add front matter, or pass --title, --author and --contingent and tribune writes it",
                ))
            }
        };
        let table: toml::Table = toml::from_str(&front).map_err(|e| {
            let line = super::toml_error_line(&front, &e) + 1;
            UserError::with_hint(format!("{file}:{line}: {}", e.message().trim()), FRONT_HINT)
        })?;
        let at = Locator { file, front: &front };
        let string = |key: &str, required: bool| -> Result<Option<String>, UserError> {
            match table.get(key) {
                None if required => Err(at.err(key, format!("the front matter has no `{key}`"), FRONT_HINT)),
                None => Ok(None),
                Some(toml::Value::String(s)) if s.trim().is_empty() && required => {
                    Err(at.err(key, format!("`{key}` is empty"), FRONT_HINT))
                }
                Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
                Some(v) => Err(at.err(key, format!("`{key}` must be a string, not {}", v.type_str()), FRONT_HINT)),
            }
        };
        let strings = |key: &str| -> Result<Vec<String>, UserError> {
            match table.get(key) {
                None => Ok(Vec::new()),
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .map(|v| match v {
                        toml::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                        _ => Err(at.err(key, format!("`{key}` must be a list of non-empty strings"), FRONT_HINT)),
                    })
                    .collect(),
                Some(_) => {
                    Err(at.err(key, format!("`{key}` must be a list of strings, like [\"a\", \"b\"]"), FRONT_HINT))
                }
            }
        };

        let title = string("title", true)?.unwrap_or_default();
        if title.chars().any(char::is_control) {
            return Err(at.err("title", "the title must be one line of text".into(), FRONT_HINT));
        }
        let summary = string("summary", false)?;
        let authors = strings("authors")?;
        if authors.is_empty() {
            return Err(at.err(
                "authors",
                "the front matter names no authors (`authors = [\"…\"]`)".into(),
                FRONT_HINT,
            ));
        }
        if let Some(a) = authors.iter().find(|a| a.chars().any(char::is_control)) {
            return Err(at.err(
                "authors",
                format!("the author {a:?} is not one line of text: it holds a control character"),
                "write each author as a plain name, without escapes such as \\u001b or \\n",
            ));
        }
        let contingent = string("contingent", true)?.unwrap_or_default();
        super::id::validate("contingent id", &contingent).map_err(|e| at.err("contingent", e.message, FRONT_HINT))?;
        let date = parse_date(table.get("date")).ok_or_else(|| {
            let msg = if table.contains_key("date") {
                "`date` must be a date such as 2026-11-21".to_string()
            } else {
                "the front matter has no `date`".to_string()
            };
            at.err("date", msg, FRONT_HINT)
        })?;
        let tags = strings("tags")?;
        for t in &tags {
            super::id::validate("tag", t)
                .map_err(|e| at.err("tags", e.message, "tags use lowercase letters, digits and '-'"))?;
        }
        let license_given = string("license", true)?.unwrap_or_default();
        let license = canonical_license(&license_given).ok_or_else(|| {
            at.err(
                "license",
                format!("the licence {license_given:?} is not a public-domain dedication"),
                &format!("the commons holds public-domain texts only: use one of {}", PUBLIC_DOMAIN.join(", ")),
            )
        })?;
        let derived_from = parse_derivations(&at, table.get("derived_from"))?;
        let media = super::media::parse(table.get("media")).map_err(|(n, m)| {
            let hint = "each [[media]] has file = \"NAME\" (beside the text) or url = \"https://…\" with sha256; optionally kind, caption, credit, size";
            UserError::with_hint(format!("{}:{}: {m}", at.file, at.line_of_table("media", n)), hint)
        })?;
        if body.trim().is_empty() {
            return Err(UserError::with_hint(
                format!("{file}: the article has no body (nothing after the closing '+++')"),
                "write the article's text after the front matter",
            ));
        }
        Ok(Article {
            title,
            summary,
            authors,
            contingent,
            date,
            tags,
            license: license.to_string(),
            derived_from,
            media,
            body,
        })
    }

    /// Front matter and body for an article given without front matter.
    pub fn render(&self) -> String {
        let mut t = toml::Table::new();
        t.insert("title".into(), self.title.clone().into());
        if let Some(s) = &self.summary {
            t.insert("summary".into(), s.clone().into());
        }
        t.insert("authors".into(), self.authors.clone().into());
        t.insert("contingent".into(), self.contingent.clone().into());
        // Years outside 0..=9999 are refused before an article is built (`writable_date`).
        let date = toml::value::Date {
            year: self.date.year().clamp(0, 9999) as u16,
            month: self.date.month() as u8,
            day: self.date.day() as u8,
        };
        t.insert(
            "date".into(),
            toml::Value::Datetime(toml::value::Datetime { date: Some(date), time: None, offset: None }),
        );
        t.insert("tags".into(), self.tags.clone().into());
        t.insert("license".into(), self.license.clone().into());
        let front = toml::to_string(&t).unwrap_or_default();
        let mut body = self.body.trim_start_matches('\n').to_string();
        if !body.ends_with('\n') {
            body.push('\n');
        }
        format!("{FENCE}\n{front}{FENCE}\n{body}")
    }
}

/// Rewrites `text`'s front matter for a contingent's rewrite: `contingent` becomes the
/// rewriting contingent, and the `wasRevisionOf` entry of `derived_from` names `base` (other
/// entries, such as quotations, are kept). Formatting and comments are preserved.
pub fn mark_revision(text: &str, contingent: &str, base: &Derivation) -> Result<String, UserError> {
    let (front, body) = split("", text)?.ok_or_else(|| UserError::new("the rewrite has no front matter"))?;
    let mut doc: toml_edit::DocumentMut = front
        .parse()
        .map_err(|e: toml_edit::TomlError| UserError::new(format!("the front matter is not valid TOML: {e}")))?;
    doc["contingent"] = toml_edit::value(contingent);
    let mut entries = toml_edit::ArrayOfTables::new();
    let keep = |t: &toml_edit::Table| t.get("relation").and_then(|r| r.as_str()) != Some("wasRevisionOf");
    match doc.remove("derived_from") {
        Some(toml_edit::Item::ArrayOfTables(old)) => {
            old.iter().filter(|t| keep(t)).for_each(|t| entries.push(t.clone()))
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(old))) => {
            for v in old.iter() {
                if let Some(inline) = v.as_inline_table() {
                    let t = inline.clone().into_table();
                    if keep(&t) {
                        entries.push(t);
                    }
                }
            }
        }
        _ => {}
    }
    let mut t = toml_edit::Table::new();
    t["relation"] = toml_edit::value(base.relation.as_str());
    for (k, v) in
        [("slug", &base.slug), ("version", &base.version), ("contingent", &base.contingent), ("url", &base.url)]
    {
        if let Some(v) = v {
            t[k] = toml_edit::value(v.as_str());
        }
    }
    entries.push(t);
    doc["derived_from"] = toml_edit::Item::ArrayOfTables(entries);
    Ok(format!("{FENCE}\n{}{FENCE}\n{body}", doc))
}

fn first_line(text: &str) -> String {
    let l = text.lines().next().unwrap_or("");
    l.chars().take(40).collect()
}

/// A front-matter date: a TOML date (or date-time, whose day counts) or a "YYYY-MM-DD"
/// string, in the years TOML can write (0 to 9999).
/// The language a text says it is in: its front matter's `lang`, else `language` (optional
/// keys; see `man 5 tribune-format`). Not checked here: [`crate::export::language`] does.
pub fn language_of(text: &str) -> Option<String> {
    let (front, _) = split("", text).ok().flatten()?;
    let table: toml::Table = toml::from_str(&front).ok()?;
    ["lang", "language"].iter().find_map(|k| table.get(*k).and_then(|v| v.as_str()).map(str::to_string))
}

pub fn parse_date(v: Option<&toml::Value>) -> Option<NaiveDate> {
    let d = match v? {
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }?;
    writable_date(d).then_some(d)
}

/// Can TOML write this date? (Its years have four digits.)
pub fn writable_date(d: NaiveDate) -> bool {
    (0..=9999).contains(&d.year())
}

pub fn canonical_license(given: &str) -> Option<&'static str> {
    PUBLIC_DOMAIN.iter().copied().find(|l| l.eq_ignore_ascii_case(given.trim()))
}

fn parse_derivations(at: &Locator<'_>, v: Option<&toml::Value>) -> Result<Vec<Derivation>, UserError> {
    let hint = "each [[derived_from]] has relation = \"wasRevisionOf\" | \"wasDerivedFrom\" | \"wasQuotedFrom\" and slug, version, contingent or url";
    let items = match v {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items,
        Some(_) => {
            return Err(at.err(
                "derived_from",
                "`derived_from` must be an array of tables ([[derived_from]])".into(),
                hint,
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        let t = item
            .as_table()
            .ok_or_else(|| at.err("derived_from", "`derived_from` entries must be tables".into(), hint))?;
        let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let relation = get("relation").unwrap_or_default();
        if !RELATIONS.contains(&relation.as_str()) {
            return Err(at.err("relation", format!("unknown derived_from relation {relation:?}"), hint));
        }
        let d = Derivation {
            relation,
            slug: get("slug"),
            version: get("version"),
            contingent: get("contingent"),
            url: get("url"),
        };
        if d.slug.is_none() && d.url.is_none() {
            return Err(at.err("relation", "a derived_from entry names neither a slug nor a url".into(), hint));
        }
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A text from anywhere: an article or an error, never a panic.
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(front in "(?s).{0,200}", body in "(?s).{0,40}") {
            let _ = Article::parse("f.md", &front);
            let _ = Article::parse("f.md", &format!("+++\n{front}\n+++\n{body}"));
            let _ = split("f.md", &front);
        }

        /// What `contribute` writes for an article given without front matter reads back.
        #[test]
        fn rendered_front_matter_round_trips(
            title in "[^\\p{Cc}]{1,30}",
            summary in proptest::option::of("[^\r]{1,30}"),
            authors in prop::collection::vec("[^\\p{Cc}]{1,20}", 1..3),
            tags in prop::collection::vec("[a-z][a-z0-9-]{0,8}", 0..3),
            day in 0i64..3_000_000,
            body in "[a-z][a-zA-Z .\n]{0,40}[a-z]",
        ) {
            let trimmed = |s: &str| s.trim().to_string();
            prop_assume!(!title.trim().is_empty() && authors.iter().all(|a| !a.trim().is_empty()));
            let a = Article {
                title: trimmed(&title),
                summary: summary.map(|s| trimmed(&s)),
                authors: authors.iter().map(|s| trimmed(s)).collect(),
                contingent: "abc".into(),
                date: NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Duration::days(day),
                tags,
                license: "CC0-1.0".into(),
                derived_from: Vec::new(),
                media: Vec::new(),
                body: format!("{body}\n"),
            };
            prop_assume!(writable_date(a.date));
            let again = Article::parse("g.md", &a.render()).unwrap();
            prop_assert_eq!(again, a);
        }
    }

    const GOOD: &str = "+++\ntitle = \"T\"\nauthors = [\"A\"]\ncontingent = \"abc\"\ndate = 2026-11-21\nlicense = \"cc0-1.0\"\n+++\nBody.\n";

    #[test]
    fn a_good_article_parses_and_its_licence_is_canonical() {
        let a = Article::parse("f.md", GOOD).unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.license, "CC0-1.0");
        assert_eq!(a.body, "Body.\n");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }

    #[test]
    fn errors_name_the_line_of_the_field() {
        let bad = GOOD.replace("date = 2026-11-21", "date = \"soon\"");
        let e = Article::parse("f.md", &bad).unwrap_err();
        assert!(e.message.starts_with("f.md:5:"), "{}", e.message);
        let bad = GOOD.replace("cc0-1.0", "CC-BY-4.0");
        let e = Article::parse("f.md", &bad).unwrap_err();
        assert!(e.message.starts_with("f.md:6:") && e.message.contains("public-domain"), "{}", e.message);
        let bad = GOOD.replace("title = \"T\"", "title = ");
        let e = Article::parse("f.md", &bad).unwrap_err();
        assert!(e.message.starts_with("f.md:2:"), "{}", e.message);
    }

    #[test]
    fn render_round_trips() {
        let a = Article::parse("f.md", GOOD).unwrap();
        let again = Article::parse("g.md", &a.render()).unwrap();
        assert_eq!(a, again);
    }

    #[test]
    fn a_revision_names_its_base_and_keeps_quotations() {
        let text = GOOD.replace(
            "+++\nBody",
            "[[derived_from]]\nrelation = \"wasQuotedFrom\"\nurl = \"https://example.org\"\n[[derived_from]]\nrelation = \"wasRevisionOf\"\nslug = \"old\"\n+++\nBody",
        );
        let base = Derivation {
            relation: "wasRevisionOf".into(),
            slug: Some("s".into()),
            version: Some("abc123".into()),
            contingent: Some("xyz".into()),
            url: None,
        };
        let out = mark_revision(&text, "rfc", &base).unwrap();
        let a = Article::parse("f.md", &out).unwrap();
        assert_eq!(a.contingent, "rfc");
        assert_eq!(a.derived_from.len(), 2);
        assert_eq!(a.derived_from[0].relation, "wasQuotedFrom");
        assert_eq!(a.derived_from[1], base);
        assert_eq!(a.body, "Body.\n");
    }

    #[test]
    fn non_utf8_is_located() {
        let e = utf8("f.md", b"ab\ncd\xff").unwrap_err();
        assert!(e.message.starts_with("f.md:2:3:"), "{}", e.message);
    }
}
