//! One governed entry read and checked on its own, without the rest of the authorised
//! state: what can run on every core when a whole roster is read (see
//! `Authority::of_tree_with`); what needs the other entries is `Authority::member_fits`.

use super::*;

/// A parser's message on one line (TOML's run over several).
pub(super) fn one_line(message: &str) -> String {
    message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(": ")
}

/// A governed entry read and checked on its own, without the rest of the state (so on any
/// thread): what [`Authority::take`] takes in order.
pub(super) enum Entry {
    /// A member entry, with its keys decoded.
    Member(Member, Vec<KeyData>),
    Contingent(Contingent),
    /// The rules file, or a path that is no roster entry.
    Other,
    /// An entry tribune would refuse, with why.
    Invalid(String),
}

/// Reads the entry at `path` from its bytes, with every check that needs no other entry.
pub(super) fn read_entry(path: &str, bytes: Vec<u8>, founded: bool) -> Entry {
    let Some((kind, id)) = entry_of(path) else { return Entry::Other };
    let Ok(text) = String::from_utf8(bytes) else { return Entry::Invalid("the file is not UTF-8".into()) };
    let read = match kind {
        Kind::Member => read_member(id, path, &text, founded).map(|(m, keys)| Entry::Member(m, keys)),
        Kind::Contingent => valid_contingent(id, path, &text).map(Entry::Contingent),
    };
    read.unwrap_or_else(Entry::Invalid)
}

/// A member entry valid on its own, with its keys decoded, or why not.
fn read_member(id: &str, path: &str, text: &str, founded: bool) -> std::result::Result<(Member, Vec<KeyData>), String> {
    crate::model::id::validate("member id", id).map_err(|e| e.message.clone())?;
    let m = Member::parse(id, path, text).map_err(|e| one_line(&e.message))?;
    plain_name("member", &m.name)?;
    if !m.email.contains('@') || m.email.contains(char::is_whitespace) || m.email.contains(['<', '>']) {
        return Err(format!("{:?} is not an email address", m.email));
    }
    if founded && m.keys.is_empty() {
        return Err("the member has no key, so cannot sign anything".into());
    }
    let keys = m
        .keys
        .iter()
        .map(|k| crate::model::roster::parse_public_key(k).map(|k| k.key_data().clone()).map_err(|e| e.message.clone()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((m, keys))
}

fn valid_contingent(id: &str, path: &str, text: &str) -> std::result::Result<Contingent, String> {
    crate::model::id::validate("contingent id", id).map_err(|e| e.message.clone())?;
    let c = Contingent::parse(id, path, text).map_err(|e| one_line(&e.message))?;
    plain_name("contingent", &c.name)?;
    Ok(c)
}

/// The longest name a roster entry may have (characters): a name is shown in tables and
/// signatures, and a megabyte of it is an attack on every reader, not a name.
const MAX_NAME: usize = 200;

/// A name shown to people: one line of at most [`MAX_NAME`] characters, without the
/// invisible characters that reorder or hide text (bidirectional controls, zero-width
/// marks), so that what a reader sees is what the entry says.
fn plain_name(what: &str, name: &str) -> std::result::Result<(), String> {
    let hidden =
        |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if name.trim().is_empty() || name.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}') {
        return Err(format!("the {what}'s name is empty or not one line"));
    }
    if name.chars().any(hidden) {
        return Err(format!("the {what}'s name holds an invisible character that reorders or hides text"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("the {what}'s name is longer than {MAX_NAME} characters"));
    }
    Ok(())
}
