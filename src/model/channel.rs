//! Channels and their editions as files: `channel.toml`, `picks.toml` and
//! `editions/<NNNN>.toml` of a channel's ref (see tribune-format(5), CHANNELS), parsed and
//! written. Pure data: no I/O. Tribune writes these files, so a key it does not know is one
//! a later format added, and is read past rather than refused.

use crate::error::UserError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most picks a channel holds, and articles an edition has: a newsletter, not a mirror
/// of the database (and no tree of a channel grows past a few thousand entries).
pub const MAX_PICKS: usize = 500;

/// The longest title or description, in characters.
pub const MAX_TEXT: usize = 500;

/// `channel.toml`: what the channel is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The contingent that keeps it (the same as in the ref's name), or the member, for a
    /// member's own channel.
    pub owner: String,
    /// Whether `owner` is a member (`member = true`, a member's own channel).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub member: bool,
    /// A filter (shared or private) that suggests picks: `edition new --from-filter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// How many of the filter's best an edition takes by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
    /// When the channel was closed (`channel remove`): its history and editions stay readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// One pinned version of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub slug: String,
    /// The version's blob id.
    pub version: String,
    /// Where it was found when picked: `trunk`, `contingents/<id>` or `history`.
    pub from: String,
    /// Who picked it ("Name <email>").
    pub by: String,
    pub at: DateTime<Utc>,
}

/// `picks.toml`: the channel's ordered picks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picks {
    #[serde(default, rename = "pick")]
    pub picks: Vec<Pick>,
}

/// One article of an edition: the slug and the pinned version, with the title it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub slug: String,
    pub version: String,
    pub title: String,
}

/// `editions/<NNNN>.toml`: one numbered, dated issue of the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub number: u32,
    pub title: String,
    pub date: DateTime<Utc>,
    /// Who made it ("Name <email>").
    pub made_by: String,
    #[serde(default, rename = "article")]
    pub articles: Vec<Item>,
}

fn parse<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<T, UserError> {
    toml::from_str(text).map_err(|e| {
        UserError::with_hint(
            format!("{path}:{}: {}", super::toml_error_line(text, &e), e.message()),
            "the channel's files are written by tribune; see `man 5 tribune-format` (CHANNELS)",
        )
    })
}

fn write<T: Serialize>(value: &T) -> String {
    toml::to_string(value).unwrap_or_default()
}

impl Settings {
    pub fn parse(path: &str, text: &str) -> Result<Settings, UserError> {
        let s: Settings = parse(path, text)?;
        crate::model::id::validate(if s.member { "member id" } else { "contingent id" }, &s.owner)
            .map_err(|e| UserError::with_hint(format!("{path}: {}", e.message), e.hint.unwrap_or_default()))?;
        Ok(s)
    }
    pub fn to_toml(&self) -> String {
        write(self)
    }
}

/// Refuses a slug that is not an id and a version that is not a full blob id (a file
/// written with plain git could name `../x`).
fn check_pinned(path: &str, slug: &str, version: &str) -> Result<(), UserError> {
    let hex = version.len() == 40 && version.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !crate::model::id::is_valid(slug) || !hex {
        return Err(UserError::with_hint(
            format!("{path}: {slug:?}@{version:?} is not a slug and a full version id"),
            "the channel's files are written by tribune; see `man 5 tribune-format` (CHANNELS)",
        ));
    }
    Ok(())
}

impl Picks {
    pub fn parse(path: &str, text: &str) -> Result<Picks, UserError> {
        let picks: Picks = parse(path, text)?;
        for p in &picks.picks {
            check_pinned(path, &p.slug, &p.version)?;
        }
        Ok(picks)
    }
    pub fn to_toml(&self) -> String {
        write(self)
    }
}

impl Edition {
    pub fn parse(path: &str, text: &str) -> Result<Edition, UserError> {
        let edition: Edition = parse(path, text)?;
        for a in &edition.articles {
            check_pinned(path, &a.slug, &a.version)?;
        }
        Ok(edition)
    }
    pub fn to_toml(&self) -> String {
        write(self)
    }
}

/// `editions/0001.toml`: four digits, more when a channel passes 9,999 issues (names still
/// sort by number up to there, and parse past it).
pub fn edition_file(number: u32) -> String {
    format!("editions/{number:04}.toml")
}

/// The number of an edition file's name (`0001.toml` → 1).
pub fn edition_number(name: &str) -> Option<u32> {
    let digits = name.strip_suffix(".toml")?;
    (digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// Refuses a title or description a reader cannot be shown as given: empty (a title), too
/// long, or holding control characters or invisible ones that reorder text.
pub fn check_text(what: &str, s: &str, required: bool) -> Result<(), UserError> {
    if required && s.trim().is_empty() {
        return Err(UserError::with_hint(format!("the {what} is empty"), format!("give a {what}")));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(UserError::with_hint(
            format!("the {what} is {} characters long (at most {MAX_TEXT})", s.chars().count()),
            format!("shorten the {what}"),
        ));
    }
    if let Some(c) = s.chars().find(|c| c.is_control() || crate::model::words::is_bidi_control(*c)) {
        return Err(UserError::with_hint(
            format!("the {what} holds the character U+{:04X}", c as u32),
            format!("write the {what} on one line, without control or direction characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip() {
        let at: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let s = Settings {
            title: "Shop floor news".into(),
            description: Some("Every two weeks".into()),
            owner: "abc".into(),
            member: false,
            filter: Some("politics".into()),
            top: Some(5),
            closed_at: None,
        };
        assert_eq!(Settings::parse("channel.toml", &s.to_toml()).unwrap(), s);
        let p = Picks {
            picks: vec![Pick { slug: "a".into(), version: "0".repeat(40), from: "trunk".into(), by: "R".into(), at }],
        };
        assert_eq!(Picks::parse("picks.toml", &p.to_toml()).unwrap(), p);
        let e = Edition {
            number: 3,
            title: "No. 3".into(),
            date: at,
            made_by: "R <r@x>".into(),
            articles: vec![Item { slug: "a".into(), version: "1".repeat(40), title: "A".into() }],
        };
        assert_eq!(Edition::parse("editions/0003.toml", &e.to_toml()).unwrap(), e);
        assert!(Settings::parse("channel.toml", "title = \"x\"\nowner = \"../x\"\n").is_err());
        let bad =
            "[[pick]]\nslug = \"a\"\nversion = \"../x\"\nfrom = \"trunk\"\nby = \"R\"\nat = 2026-11-26T10:00:00Z\n";
        assert!(Picks::parse("picks.toml", bad).is_err());
        let mine = Settings { member: true, ..s.clone() };
        assert!(mine.to_toml().contains("member = true"));
        assert_eq!(Settings::parse("channel.toml", &mine.to_toml()).unwrap(), mine);
        assert!(!s.to_toml().contains("member"));
        // A key a later format adds is read past.
        assert!(Settings::parse("channel.toml", "title = \"x\"\nowner = \"a\"\nlater = 1\n").is_ok());
    }

    #[test]
    fn edition_files_are_numbered() {
        assert_eq!(edition_file(7), "editions/0007.toml");
        assert_eq!(edition_number("0007.toml"), Some(7));
        assert_eq!(edition_number("12345.toml"), Some(12345));
        assert_eq!(edition_number("7.toml"), None);
        assert_eq!(edition_number("00x7.toml"), None);
    }

    #[test]
    fn titles_with_control_or_direction_characters_are_refused() {
        assert!(check_text("title", "ok", true).is_ok());
        assert!(check_text("title", " ", true).is_err());
        assert!(check_text("title", "a\u{202e}b", true).is_err());
        assert!(check_text("title", "a\nb", true).is_err());
        assert!(check_text("description", "", false).is_ok());
    }
}
