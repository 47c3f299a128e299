//! The rules for owned texts on the trunk: who may add, change or delete an article, a
//! challenge, a reply or a shared filter, and that a statement's text stays as it was
//! proposed.
//!
//! In a founded commons each such text belongs to a contingent ([`Owned`] says which): an
//! article to the contingent its front matter names, a challenge to the contingent putting
//! it (`from`), a reply to the contingent replying (its file name), a shared filter to its
//! owner's contingent (its `[owner]` table). A trunk commit that changes or deletes one must
//! be signed by a member of the contingent it belonged to *before* the change, and one that
//! adds one by a member of the contingent the new text names, both judged by the authorised
//! roster at the commit's first parent; a text that names no contingent is any member's.
//! (A contingent's own version of another's article goes on its edition, never over the
//! trunk's text.) Anywhere, founded or not, a commit that removes or changes a statement's
//! text (`statements/<slug>/index.md`) once it is on the trunk breaks the rule that a
//! statement is fixed by its proposal.
//!
//! At a merge, a text equal to what another parent has at that path (or a deletion that
//! another parent's side made) is that parent's history's change, judged there: not the
//! merge's own.
//!
//! Only the changed paths are read: the diff skips identical subtrees, so the cost follows
//! the number of texts a commit touches, not the size of the commons. `audit` judges every
//! trunk commit with this, and the hub's pre-receive hook judges a push's commits with it,
//! through the same walk.

use super::authority::{Authority, Finding};
use crate::git::{CommitInfo, Oid, PathChange, Repo};
use crate::model::layout;
use anyhow::Result;
use serde::{Deserialize, Serialize};

/// What kind of owned text a trunk path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Owned {
    /// `articles/<xx>/<yy>/<slug>/index.md`: the contingent its front matter names.
    Article,
    /// `challenges/<cc>/<id>/index.md`: the contingent putting it (`from`).
    Challenge,
    /// `challenges/<cc>/<id>/replies/<contingent>.md`: the contingent replying.
    Reply,
    /// `filters/<name>.toml`: its owner's contingent.
    Filter,
}

impl Owned {
    /// The kind of owned text at `path`, if it is one.
    pub fn of_path(path: &str) -> Option<Owned> {
        let parts: Vec<&str> = path.split('/').collect();
        match parts[..] {
            [a, _, _, _, "index.md"] if a == layout::ARTICLES => Some(Owned::Article),
            [c, _, _, "index.md"] if c == crate::challenges::DIR => Some(Owned::Challenge),
            [c, _, _, "replies", f] if c == crate::challenges::DIR && f.ends_with(".md") => Some(Owned::Reply),
            ["filters", f] if f.ends_with(".toml") => Some(Owned::Filter),
            _ => None,
        }
    }

    /// The top directories its texts live under.
    const DIRS: [&'static str; 3] = [layout::ARTICLES, crate::challenges::DIR, "filters"];

    /// The contingent the text `text` at `path` (of this kind) belongs to, if it names one
    /// that can be read.
    fn owner(self, path: &str, text: &[u8]) -> Option<String> {
        match self {
            Owned::Article => front_field(text, "contingent"),
            Owned::Challenge => front_field(text, "from"),
            Owned::Reply => path.rsplit('/').next()?.strip_suffix(".md").map(str::to_string),
            Owned::Filter => {
                crate::model::filter::Owner::of_text(std::str::from_utf8(text).ok()?).map(|o| o.contingent)
            }
        }
    }
}

/// Whether `path` is an article's text: `articles/<xx>/<yy>/<slug>/index.md`.
pub fn is_article_text(path: &str) -> bool {
    Owned::of_path(path) == Some(Owned::Article)
}

/// Whether `path` is a statement's text: `statements/<slug>/index.md`.
pub fn is_statement_text(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 3 && parts[0] == layout::STATEMENTS && parts[2] == "index.md"
}

/// The statement texts that differ between two trees (reading only `statements/`).
pub fn statement_changes(repo: &Repo, old: Option<Oid>, new: Oid) -> Result<Vec<PathChange>> {
    Ok(repo.changed_paths(old, new, layout::STATEMENTS)?.into_iter().filter(|c| is_statement_text(&c.path)).collect())
}

/// The owned texts that differ between two trees (reading only the subtrees of `articles/`,
/// `challenges/` and `filters/` that differ).
pub fn owned_changes(repo: &Repo, old: Option<Oid>, new: Oid) -> Result<Vec<PathChange>> {
    let mut out = Vec::new();
    for dir in Owned::DIRS {
        out.extend(repo.changed_paths(old, new, dir)?.into_iter().filter(|c| Owned::of_path(&c.path).is_some()));
    }
    Ok(out)
}

/// The contingent an article's text names in its front matter, if it can be read.
pub fn contingent_of(text: &[u8]) -> Option<String> {
    front_field(text, "contingent")
}

/// A string field of a text's `+++` front matter, if it can be read and is not blank.
fn front_field(text: &[u8], field: &str) -> Option<String> {
    let text = std::str::from_utf8(text).ok()?;
    let (front, _) = crate::model::article::split("", text).ok()??;
    let table: toml::Table = toml::from_str(&front).ok()?;
    match table.get(field) {
        Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The commit on another parent's side of a merge that made the change at `path` to `new`
/// (see `authority::setter_on_other_side`), if another side made it.
fn setter(repo: &Repo, first: Oid, others: &[(Oid, Oid)], path: &str, new: Option<Oid>) -> Result<Option<CommitInfo>> {
    let commits: Vec<Oid> = others.iter().map(|(c, _)| *c).collect();
    super::authority::setter_on_other_side(repo, first, &commits, path, new)
}

/// A commit being judged: the commit, the parent it is judged from, and its other parents
/// with their trees.
pub struct Judging<'a> {
    pub repo: &'a Repo,
    pub c: &'a CommitInfo,
    pub first: Oid,
    pub others: &'a [(Oid, Oid)],
}

/// The statement findings of a commit, given the statement texts it changes.
pub fn judge_statements(at: &Judging<'_>, changes: &[PathChange]) -> Result<Vec<Finding>> {
    let Judging { repo, c, first, others } = *at;
    let mut findings = Vec::new();
    for ch in changes {
        if ch.old.is_none() || ch.old == ch.new {
            continue;
        }
        // A change another side of a merge made is judged at the commit that made it (the
        // audit walks it too), unless that is the root of a history that never shared the
        // trunk's (an orphan): its root is judged by nobody else.
        if setter(repo, first, others, &ch.path, ch.new)?.is_some_and(|s| !s.parents.is_empty()) {
            continue;
        }
        findings.push(Finding::StatementChanged {
            commit: c.id.to_string(),
            path: ch.path.clone(),
            removed: ch.new.is_none(),
        });
    }
    Ok(findings)
}

/// Who signed a commit, as the authorised state at its parent says: the member, and their
/// contingent (None: unsigned, or by a key no authorised member holds).
pub type Signer = Option<(String, String)>;

/// The signer of `c` by the authorised state `parent` (see [`Signer`]).
pub fn signer_by(repo: &Repo, parent: &Authority, c: Oid) -> Result<Signer> {
    let signer = parent.signer_of(repo, c)?;
    Ok(signer.and_then(|s| parent.members.get(&s).map(|m| (s.clone(), m.contingent.clone()))))
}

/// The findings of a commit about owned texts, given the owned texts it changes (see
/// [`Owned`]); `signer_of` says who signed a commit by the authorised state at the parent
/// it is judged from. A change another side of a merge made is judged by the commit that
/// made it there, by that same state (so an orphan history, or a member removed meanwhile,
/// authorises nothing). Only for a commons founded at that parent.
pub fn judge_owned(
    at: &Judging<'_>,
    signer_of: &dyn Fn(Oid) -> Result<Signer>,
    changes: &[PathChange],
) -> Result<Vec<Finding>> {
    let Judging { repo, c, first, others } = *at;
    let mut findings = Vec::new();
    let own = signer_of(c.id)?;
    let signer = own.as_ref().map(|(s, _)| s.clone());
    // A text that names no contingent is any member's.
    let may = |who: &Signer, owner: &Option<String>| match (owner, who) {
        (Some(o), Some((_, s))) => o == s,
        (None, Some(_)) => true,
        (_, None) => false,
    };
    for ch in changes {
        if ch.old == ch.new {
            continue;
        }
        let Some(what) = Owned::of_path(&ch.path) else { continue };
        let read = |b: Option<Oid>| -> Result<Option<String>> {
            Ok(match b {
                Some(b) => what.owner(&ch.path, &repo.read_blob(b)?),
                None => None,
            })
        };
        // The owner: the contingent the text named before the change (a new text: the one
        // it names). A text that names none is any member's.
        let owner = match ch.old {
            Some(_) => read(ch.old)?,
            None => read(ch.new)?,
        };
        let allowed = may(&own, &owner)
            || match setter(repo, first, others, &ch.path, ch.new)? {
                Some(s) => may(&signer_of(s.id)?, &owner),
                None => false,
            };
        if allowed {
            continue;
        }
        let (commit, path, signer, contingent) = (c.id.to_string(), ch.path.clone(), signer.clone(), owner);
        findings.push(match (ch.old, ch.new) {
            (None, _) => Finding::ByOutsider { commit, path, what, signer, contingent },
            (Some(_), None) => Finding::Deleted { commit, path, what, signer, contingent },
            (Some(_), Some(_)) => Finding::Overwritten { commit, path, what, signer, contingent },
        });
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_and_statement_paths() {
        assert_eq!(Owned::of_path("challenges/3f/2026-11-21-3fa2c1/index.md"), Some(Owned::Challenge));
        assert_eq!(Owned::of_path("challenges/3f/2026-11-21-3fa2c1/replies/abc.md"), Some(Owned::Reply));
        assert_eq!(Owned::of_path("challenges/3f/2026-11-21-3fa2c1/notes.md"), None);
        assert_eq!(Owned::of_path("filters/trusted.toml"), Some(Owned::Filter));
        assert_eq!(Owned::of_path("filters/sub/trusted.toml"), None);
        assert_eq!(Owned::Reply.owner("challenges/3f/x/replies/xyz.md", b""), Some("xyz".into()));
        let filter = "name = \"f\"\n[owner]\nmember = \"ann\"\ncontingent = \"abc\"\n";
        assert_eq!(Owned::Filter.owner("filters/f.toml", filter.as_bytes()), Some("abc".into()));
        assert_eq!(Owned::Challenge.owner("", b"+++\nfrom = \"xyz\"\nto = \"abc\"\n+++\nWhy?\n"), Some("xyz".into()));
        assert!(is_article_text("articles/a9/99/abc/index.md"));
        assert!(!is_article_text("articles/a9/99/abc/photo.png"));
        assert!(!is_article_text("articles/a9/abc/index.md"));
        assert!(is_statement_text("statements/s/index.md"));
        assert!(!is_statement_text("statements/s/extra/index.md"));
    }

    #[test]
    fn the_contingent_is_read_from_the_front_matter_or_not_at_all() {
        let text = "+++\ntitle = \"T\"\ncontingent = \"abc\"\n+++\nBody.\n";
        assert_eq!(contingent_of(text.as_bytes()).as_deref(), Some("abc"));
        assert_eq!(contingent_of(b"no front matter"), None);
        assert_eq!(contingent_of(b"+++\ncontingent = 3\n+++\n"), None);
        assert_eq!(contingent_of(b"+++\ncontingent = \"abc\"\n"), None);
        assert_eq!(contingent_of(&[0xff, 0xfe]), None);
    }
}
