//! Changes only an approved statement may make (a contingent admitted or removed, the rules
//! changed): whether a statement authorises one. The statement must say exactly that change
//! in its `[[enacts]]` tables, and its approval tag must verify and pass.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::layout;
use crate::model::roster::Contingent;
use crate::model::statement::Enactment;
use anyhow::Result;

/// The trailer by which a commit cites the statement it applies.
pub const ENACTS: &str = "Tribune-Enacts";

/// What the change to `path` (to `new`; None: removed) would need the statement to say.
pub fn wanted(commons: &Commons, path: &str, new: Option<Oid>) -> Result<Option<Enactment>> {
    if path == layout::CONFIG {
        return Ok(new.map(|b| Enactment::Rules { blob: b.to_string() }));
    }
    if let Some(id) = path.strip_prefix(&format!("{}/", layout::MEMBERS)).and_then(|f| f.strip_suffix(".toml")) {
        let Some(b) = new else { return Ok(None) };
        let text = String::from_utf8_lossy(&commons.repo.read_blob(b)?).into_owned();
        return Ok(match crate::model::roster::Member::parse(id, path, &text) {
            Ok(m) if m.keys.len() == 1 => {
                Some(Enactment::AddMember { member: id.to_string(), contingent: m.contingent, key: m.keys[0].clone() })
            }
            _ => None,
        });
    }
    let Some(id) = path.strip_prefix(&format!("{}/", layout::CONTINGENTS)).and_then(|f| f.strip_suffix(".toml")) else {
        return Ok(None);
    };
    Ok(match new {
        Some(b) => {
            let text = String::from_utf8_lossy(&commons.repo.read_blob(b)?).into_owned();
            match Contingent::parse(id, path, &text) {
                Ok(c) => Some(Enactment::AddContingent { contingent: id.to_string(), name: c.name }),
                Err(_) => None,
            }
        }
        None => Some(Enactment::RemoveContingent { contingent: id.to_string() }),
    })
}

/// Whether the statement `slug` authorises the change to `path`: it enacts exactly that
/// change, and its approval tag verifies and passes. A statement that cannot be read or
/// verified authorises nothing.
pub fn authorises(commons: &Commons, slug: &str, path: &str, new: Option<Oid>) -> Result<bool> {
    if crate::model::id::validate("statement", slug).is_err() {
        return Ok(false);
    }
    let Some(want) = wanted(commons, path, new)? else { return Ok(false) };
    let Ok(proposal) = crate::statements::find(commons, slug) else { return Ok(false) };
    let same = |e: &Enactment| match (e, &want) {
        // Keys compare by the key itself, whatever their comments.
        (
            Enactment::AddMember { member: a, contingent: c, key: k },
            Enactment::AddMember { member: b, contingent: d, key: l },
        ) => a == b && c == d && key_part(k) == key_part(l),
        (a, b) => a == b,
    };
    if !proposal.statement.enacts.iter().any(same) {
        return Ok(false);
    }
    let v = crate::statements::verify(commons, slug)?;
    Ok(v.problems.is_empty() && v.passes == Some(true))
}

/// An OpenSSH key line without its comment.
fn key_part(line: &str) -> String {
    line.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}
