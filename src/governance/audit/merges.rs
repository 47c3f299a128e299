//! What a merge made itself against each of its founded parents: values that differ from
//! that parent's and that no commit on another side set (a value taken back from where the
//! histories parted, an edition's text put over the trunk's), judged by the authorised
//! state at that parent (see `Authority::judge_undone`).

use super::{enacted, texts, Cache};
use crate::commons::Commons;
use crate::git::{CommitInfo, Oid, PathChange, Repo};
use crate::governance::authority::{governed_changes, Authority, Enactment, Finding};
use anyhow::Result;

/// The paths where merge `c` (judged from `base`) differs from its other parent `q` with a
/// value no commit on another side set: governed paths, and owned texts (as changes from
/// `q`'s value to the merge's).
pub(super) fn undone_of(repo: &Repo, c: &CommitInfo, base: Oid, q: Oid) -> Result<(Vec<String>, Vec<PathChange>)> {
    let q_tree = repo.commit_tree(q)?;
    let governed = governed_changes(repo, Some(q_tree), c.tree)?;
    let owned = texts::owned_changes(repo, Some(q_tree), c.tree)?;
    if governed.is_empty() && owned.is_empty() {
        return Ok((governed, owned));
    }
    if repo.merge_base(base, q)?.is_none() {
        return Ok((Vec::new(), Vec::new()));
    }
    // A value that differs from `q`'s is another side's change only when a commit on one of
    // the other parents' sides (since it parted from `q`) set it, and not as an act on an
    // edition (see `setter_on_other_side`); else the merge made it: a value taken back from
    // where the histories parted, or an edition's text put over the trunk's.
    let others: Vec<Oid> = c.parents.iter().copied().filter(|p| *p != q).collect();
    let made_here = |path: &str, new: Option<Oid>| -> Result<bool> {
        Ok(crate::governance::authority::setter_on_other_side(repo, q, &others, path, new)?.is_none())
    };
    let at = |tree: Oid, path: &str| -> Result<Option<Oid>> {
        Ok(repo.entry_at(tree, path)?.filter(|e| !e.is_tree).map(|e| e.id))
    };
    let mut g = Vec::new();
    for path in governed {
        if made_here(&path, at(c.tree, &path)?)? {
            g.push(path);
        }
    }
    let mut o = Vec::new();
    for ch in owned {
        if made_here(&ch.path, ch.new)? {
            o.push(ch);
        }
    }
    Ok((g, o))
}

/// Judges what merge `c` undid of its other founded parents' sides (see [`undone_of`]),
/// each by the authorised state at that parent; `state` is the merge's, judged from its
/// base, and comes back with the undone values refused.
pub(super) fn judge_undone(
    commons: &Commons,
    cache: &Cache,
    c: &CommitInfo,
    mut state: Authority,
    undone: &[(Oid, Authority, Vec<String>, Vec<PathChange>)],
) -> Result<(Authority, Vec<Finding>)> {
    let repo = &commons.repo;
    let mut findings = Vec::new();
    for (q, theirs, governed, owned) in undone {
        if !governed.is_empty() {
            let judged;
            (state, judged) =
                state.judge_undone(repo, c, theirs, governed, &|e: &Enactment<'_>| enacted(commons, cache, e))?;
            findings.extend(judged);
        }
        if !owned.is_empty() {
            let signer_of = |commit: Oid| texts::signer_by(repo, theirs, commit);
            let judging = texts::Judging { repo, c, first: *q, others: &[] };
            findings.extend(texts::judge_owned(&judging, &signer_of, owned)?);
        }
    }
    Ok((state, findings))
}
