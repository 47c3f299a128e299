//! Ids and slugs: the names of contingents, members and articles.
//!
//! They become path components and ref names, so the rule is strict: lowercase ASCII
//! letters, digits and `-`, 1 to 64 characters, starting with a letter or digit.

use crate::error::UserError;

pub const MAX_ID_LEN: usize = 64;

/// Checks `s` against the id rule; `what` names it in the message ("slug", "contingent id").
pub fn validate(what: &str, s: &str) -> Result<(), UserError> {
    let hint = "ids and slugs use lowercase ASCII letters, digits and '-', 1 to 64 characters, starting with a letter or digit";
    if s.is_empty() {
        return Err(UserError::with_hint(format!("the {what} is empty"), hint));
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        let why = if c.is_ascii_uppercase() {
            "upper-case letters are not allowed".to_string()
        } else if c == '/' || c == '.' {
            format!("{c:?} could make it a path; it is not allowed")
        } else {
            format!("the character {c:?} is not allowed")
        };
        return Err(UserError::with_hint(format!("the {what} {s:?} is not valid: {why}"), hint));
    }
    if s.len() > MAX_ID_LEN {
        return Err(UserError::with_hint(
            format!("the {what} {:?} is {} characters long (at most {MAX_ID_LEN})", shorten(s), s.chars().count()),
            hint,
        ));
    }
    if s.starts_with('-') {
        return Err(UserError::with_hint(format!("the {what} {s:?} starts with '-'"), hint));
    }
    Ok(())
}

pub fn is_valid(s: &str) -> bool {
    validate("id", s).is_ok()
}

/// A slug made from a title: "Warehouse workers shut down line 3!" → "warehouse-workers-shut-down-line-3".
/// Titles in any script are transliterated (deunicode): "Grève générale à Montréal" →
/// "greve-generale-a-montreal", "Забастовка" → "zabastovka". Apostrophes join, everything
/// else that is not a letter or digit separates. Cut at a word boundary to fit in 64
/// characters. An ASCII title's slug is what it always was.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    let mut take = |c: char| {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            dash = true;
        }
    };
    for c in title.chars() {
        if c.is_ascii() {
            take(c);
        } else {
            // A right single quotation mark is an apostrophe too, and becomes one here.
            deunicode::deunicode_char(c).unwrap_or(" ").chars().for_each(&mut take);
        }
    }
    if out.len() > MAX_ID_LEN {
        let cut = out[..=MAX_ID_LEN].rfind('-').filter(|&i| i > 0).unwrap_or(MAX_ID_LEN);
        out.truncate(cut);
    }
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(24).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_rule_refuses_paths_case_and_length() {
        assert!(is_valid("abc"));
        assert!(is_valid("0-day"));
        for bad in ["", "..", "a/b", "ABC", "-a", "a b", "a\u{0}", &"a".repeat(65)] {
            assert!(!is_valid(bad), "{bad:?} should be refused");
        }
        assert!(is_valid(&"a".repeat(64)));
    }

    #[test]
    fn slugify_makes_readable_slugs() {
        assert_eq!(slugify("Warehouse workers shut down line 3!"), "warehouse-workers-shut-down-line-3");
        assert_eq!(slugify("José's rent strike — day 4"), "joses-rent-strike-day-4");
        assert_eq!(slugify("José’s rent strike"), "joses-rent-strike");
    }

    #[test]
    fn titles_in_any_script_are_transliterated() {
        assert_eq!(slugify("Grève générale à Montréal"), "greve-generale-a-montreal");
        assert_eq!(slugify("Забастовка"), "zabastovka");
        assert_eq!(slugify("Straße der Arbeiter"), "strasse-der-arbeiter");
        assert_eq!(slugify("Ελληνική απεργία"), "ellenike-apergia");
        assert_eq!(slugify("北京罢工"), "bei-jing-ba-gong");
        assert_eq!(slugify("Huelga en España: ¡ya!"), "huelga-en-espana-ya");
    }

    /// The slug of an ASCII title before transliteration came in: the oracle for keeping
    /// every existing slug as it was.
    fn ascii_slug_before(title: &str) -> String {
        let mut out = String::new();
        let mut dash = false;
        for c in title.chars() {
            if c.is_ascii_alphanumeric() {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c.to_ascii_lowercase());
            } else if c != '\'' && c != '\u{2019}' {
                dash = true;
            }
        }
        if out.len() > MAX_ID_LEN {
            let cut = out[..=MAX_ID_LEN].rfind('-').filter(|&i| i > 0).unwrap_or(MAX_ID_LEN);
            out.truncate(cut);
        }
        out
    }

    proptest! {
        #[test]
        fn an_ascii_title_keeps_its_slug(title in "[ -~]{0,120}") {
            prop_assert_eq!(slugify(&title), ascii_slug_before(&title));
        }

        #[test]
        fn slugify_output_is_valid_or_empty(title in "\\PC{0,200}") {
            let s = slugify(&title);
            prop_assert!(s.is_empty() || is_valid(&s), "{:?} -> {:?}", title, s);
        }
    }
}
