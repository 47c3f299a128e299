//! The roster: contingents (the groups) and members (the people who vote and sign).

use crate::error::UserError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contingent {
    #[serde(skip_deserializing, default)]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    #[serde(skip_deserializing, default)]
    pub id: String,
    pub name: String,
    pub contingent: String,
    pub email: String,
    /// SSH public keys in OpenSSH form ("ssh-ed25519 AAAA… comment").
    #[serde(default)]
    pub keys: Vec<String>,
}

fn to_toml<T: Serialize>(v: &T) -> String {
    #[derive(Serialize)]
    struct NoId<'a, T> {
        #[serde(flatten)]
        inner: &'a T,
    }
    let mut value = toml::Value::try_from(NoId { inner: v }).unwrap_or(toml::Value::Table(Default::default()));
    if let toml::Value::Table(t) = &mut value {
        t.remove("id");
    }
    toml::to_string(&value).unwrap_or_default()
}

impl Contingent {
    pub fn parse(id: &str, path: &str, text: &str) -> Result<Contingent, UserError> {
        parse(id, path, text, |c: &mut Contingent| &mut c.id)
    }
    pub fn to_toml(&self) -> String {
        to_toml(self)
    }
}

impl Member {
    pub fn parse(id: &str, path: &str, text: &str) -> Result<Member, UserError> {
        parse(id, path, text, |m: &mut Member| &mut m.id)
    }
    pub fn to_toml(&self) -> String {
        to_toml(self)
    }
}

/// A roster file at `path`, whose id (`id_of`) is its file name `id`, not a field.
fn parse<T: serde::de::DeserializeOwned>(
    id: &str,
    path: &str,
    text: &str,
    id_of: fn(&mut T) -> &mut String,
) -> Result<T, UserError> {
    let mut entry: T = toml::from_str(text).map_err(|e| bad_file(path, text, &e))?;
    *id_of(&mut entry) = id.to_string();
    Ok(entry)
}

fn bad_file(path: &str, text: &str, e: &toml::de::Error) -> UserError {
    let line = super::toml_error_line(text, e);
    UserError::with_hint(
        format!("{path}:{line}: {}", e.message().trim()),
        "fix the file with a commit on the trunk; `man 5 tribune-format` describes the roster",
    )
}

/// Checks an OpenSSH public key line and returns it normalised (type, key, comment).
/// Only ed25519 keys are accepted: they are what tribune verifies natively.
pub fn check_public_key(line: &str) -> Result<String, UserError> {
    let key = parse_public_key(line)?;
    key.to_openssh().map_err(|e| UserError::new(format!("could not re-encode the key: {e}")))
}

/// The key of an OpenSSH public key line, refused as [`check_public_key`] refuses it.
pub fn parse_public_key(line: &str) -> Result<ssh_key::PublicKey, UserError> {
    let line = line.trim();
    let hint = "give an ed25519 public key as found in ~/.ssh/id_ed25519.pub (\"ssh-ed25519 AAAA… comment\")";
    if line.contains("PRIVATE KEY") {
        return Err(UserError::with_hint("that is a private key; never share it", "pass the .pub file next to it"));
    }
    let key = ssh_key::PublicKey::from_openssh(line)
        .map_err(|e| UserError::with_hint(format!("not an OpenSSH public key: {e}"), hint))?;
    if key.algorithm() != ssh_key::Algorithm::Ed25519 {
        return Err(UserError::with_hint(format!("the key is {}, not ssh-ed25519", key.algorithm()), hint));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_round_trip_without_their_id_in_the_file() {
        let m = Member {
            id: "rlopez".into(),
            name: "Rosa Lopez".into(),
            contingent: "abc".into(),
            email: "r@example.org".into(),
            keys: vec![],
        };
        let text = m.to_toml();
        assert!(!text.contains("rlopez"), "{text}");
        assert_eq!(Member::parse("rlopez", "p", &text).unwrap(), m);
    }

    #[test]
    fn a_broken_roster_file_names_its_line() {
        let err = Member::parse("x", "roster/members/x.toml", "name = \"a\"\ncontingent = \n").unwrap_err();
        assert!(err.message.starts_with("roster/members/x.toml:2:"), "{}", err.message);
    }

    #[test]
    fn public_keys_are_checked() {
        let good = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGjRnGvbdz5TOvVI3IjUSbsYxkmo9RW6VwhBcBDK0ey4 a@b";
        assert!(check_public_key(good).is_ok());
        assert!(check_public_key("ssh-ed25519 AAAA").is_err());
        assert!(check_public_key("hello").is_err());
    }
}
