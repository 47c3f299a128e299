//! What a merge undid: the values it took from where its parents' histories parted
//! although another founded parent's side changed them since, judged by the authorised
//! state at that parent (see `Authority::judge_undone`).

use super::{enacted, texts, Cache};
use crate::commons::Commons;
use crate::git::{CommitInfo, Oid, PathChange, Repo};
use crate::governance::authority::{governed_changes, Authority, Enactment, Finding};
use anyhow::Result;

/// The paths where merge `c` (judged from `base`) takes the value the histories of `base`
/// and its other parent `q` had where they parted, although `q`'s side changed it since:
/// governed paths, and owned texts (as changes from `q`'s value to the merge's).
pub(super) fn undone_of(repo: &Repo, c: &CommitInfo, base: Oid, q: Oid) -> Result<(Vec<String>, Vec<PathChange>)> {
    let q_tree = repo.commit_tree(q)?;
    let governed = governed_changes(repo, Some(q_tree), c.tree)?;
    let owned = texts::owned_changes(repo, Some(q_tree), c.tree)?;
    if governed.is_empty() && owned.is_empty() {
        return Ok((governed, owned));
    }
    let Some(parted) = repo.merge_base(base, q)? else { return Ok((Vec::new(), Vec::new())) };
    let parted_tree = repo.commit_tree(parted)?;
    let at = |tree: Oid, path: &str| -> Result<Option<Oid>> {
        Ok(repo.entry_at(tree, path)?.filter(|e| !e.is_tree).map(|e| e.id))
    };
    let mut g = Vec::new();
    for path in governed {
        if at(c.tree, &path)? == at(parted_tree, &path)? {
            g.push(path);
        }
    }
    let mut o = Vec::new();
    for ch in owned {
        if ch.new == at(parted_tree, &ch.path)? {
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
            findings.extend(texts::judge_owned(repo, &signer_of, c, *q, &[], owned)?);
        }
    }
    Ok((state, findings))
}
