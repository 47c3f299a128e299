//! Judging one commit of the trunk against the authorised state at its parent: each change
//! to a governed file by the rule, by an approved statement it cites, or (at a merge) by the
//! commit that made it on the other side.

use super::*;

/// A change a commit makes to a governed file: from `old` to `new` (None: absent), and
/// the rule that says who may make it.
struct GovernedChange<'a> {
    rule: &'a Rule,
    path: &'a str,
    old: Option<Oid>,
    new: Option<Oid>,
}

impl Authority {
    /// Judges commit `c` (not a root) against this state, the authorised state at its parent
    /// `base` (the first parent, or at a merge the first that descends from the root), and
    /// returns the state at `c` and what was refused. What a merge takes from its other
    /// parents is judged by the commit that made it on that side (see `taken_from_other`).
    ///
    /// `enacted` says whether an approved statement the commit cites (`Tribune-Enacts`)
    /// authorises a change.
    pub fn judge(
        mut self,
        repo: &Repo,
        c: &CommitInfo,
        base: Oid,
        enacted: Enacted<'_>,
    ) -> Result<(Authority, Vec<Finding>)> {
        let mut findings = Vec::new();
        let commit = c.id.to_string();
        let base_tree = repo.commit_tree(base)?;
        let mut changes = governed_changes(repo, Some(base_tree), c.tree)?;
        if changes.is_empty() {
            return Ok((self, findings));
        }
        let founding = c.trailer(FOUNDERS).is_some();
        if founding && self.founded {
            findings.push(Finding::SecondFounding { commit: commit.clone() });
        }
        let signer = self.signer_of(repo, c.id)?;
        let others: Vec<Oid> = c.parents.iter().copied().filter(|p| *p != base).collect();
        // Contingents first: a member's entry refers to its contingent.
        changes.sort_by_key(|p| (!p.starts_with(layout::CONTINGENTS), p.clone()));
        for path in changes {
            let new = repo.entry_at(c.tree, &path)?.filter(|e| !e.is_tree).map(|e| e.id);
            let old = self.blob(&path);
            self.overrides.remove(&path);
            self.invalid.remove(&path);
            if new == old {
                continue;
            }
            let rule = self.rule_for(repo, &path, new)?;
            let change = GovernedChange { rule: &rule, path: &path, old, new };
            let allowed = !self.founded
                || self.authorised_act(c, signer.as_deref(), &change, enacted)?
                || self.taken_from_other(repo, base, &others, &change, enacted)?;
            if !allowed {
                findings.push(Finding::Unauthorised {
                    commit: commit.clone(),
                    path: path.clone(),
                    signer: signer.clone(),
                    rule,
                });
                self.overrides.insert(path, old);
                continue;
            }
            if path == layout::CONFIG {
                match new {
                    Some(b) => self.blobs.insert(path, b),
                    None => self.blobs.remove(&path),
                };
                self.read_config(repo)?;
                continue;
            }
            if let Some(reason) = self.set(repo, &path, new)? {
                // An invalid entry is not taken: the authorised one before it stays.
                findings.push(Finding::InvalidEntry {
                    commit: commit.clone(),
                    path: path.clone(),
                    reason: reason.clone(),
                });
                self.invalid.insert(path.clone(), reason);
                if old.is_some() {
                    self.set(repo, &path, old)?;
                }
                self.overrides.insert(path, old);
            }
        }
        Ok((self, findings))
    }

    /// Whether commit `c`, signed by `signer`, may make `change` under this state: by the
    /// rule, or by the approved statement it cites.
    fn authorised_act(
        &self,
        c: &CommitInfo,
        signer: Option<&str>,
        change: &GovernedChange<'_>,
        enacted: Enacted<'_>,
    ) -> Result<bool> {
        if self.allows(change.rule, signer) {
            return Ok(true);
        }
        // An approved statement may authorise a change it names exactly (a contingent, the
        // rules, a new contingent's first member), once.
        let GovernedChange { path, old, new, .. } = *change;
        Ok(match c.trailer(crate::governance::enact::ENACTS) {
            Some(slug) => enacted(&Enactment { statement: slug.trim(), path, old, new, parents: &c.parents })?,
            None => false,
        })
    }

    /// Whether a merge takes the new value of `change` from another parent's history: the
    /// newest commit on that side (since the histories parted) that set it must be one this
    /// state authorises, judged now, so that authority granted on a stale branch does not
    /// outlive a removal or a key rotation made meanwhile, and a history that never
    /// descended from the root (an orphan) authorises nothing. A value the other side did
    /// not change is the merge's own change.
    fn taken_from_other(
        &self,
        repo: &Repo,
        base: Oid,
        others: &[Oid],
        change: &GovernedChange<'_>,
        enacted: Enacted<'_>,
    ) -> Result<bool> {
        let Some(setter) = setter_on_other_side(repo, base, others, change.path, change.new)? else {
            return Ok(false);
        };
        let signer = self.signer_of(repo, setter.id)?;
        self.authorised_act(&setter, signer.as_deref(), change, enacted)
    }

    /// At a merge whose state (this one) was judged from `base`: judges what the merge
    /// undid of another founded parent's side. `paths` are the governed paths where the
    /// merge takes the value the histories had where they parted although that parent's
    /// side changed it since: the merge's own change from that parent's value, which
    /// `theirs` (the authorised state at that parent) must authorise for the merge's
    /// signer. Otherwise the parent's authorised value stays. (Without this, a merge whose
    /// first parent is an old commit of the trunk, and whose other parent is the tip, would
    /// take back a removal, a key rotation or anything else made since, as "no change".)
    pub fn judge_undone(
        mut self,
        repo: &Repo,
        c: &CommitInfo,
        theirs: &Authority,
        paths: &[String],
        enacted: Enacted<'_>,
    ) -> Result<(Authority, Vec<Finding>)> {
        let mut findings = Vec::new();
        let signer = theirs.signer_of(repo, c.id)?;
        for path in paths {
            let new = repo.entry_at(c.tree, path)?.filter(|e| !e.is_tree).map(|e| e.id);
            let old = theirs.blob(path);
            if new == old || !theirs.founded {
                continue;
            }
            let rule = theirs.rule_for(repo, path, new)?;
            if theirs.authorised_act(c, signer.as_deref(), &GovernedChange { rule: &rule, path, old, new }, enacted)? {
                continue;
            }
            findings.push(Finding::Unauthorised {
                commit: c.id.to_string(),
                path: path.clone(),
                signer: signer.clone(),
                rule,
            });
            if path == layout::CONFIG {
                match old {
                    Some(b) => self.blobs.insert(path.clone(), b),
                    None => self.blobs.remove(path),
                };
                self.read_config(repo)?;
            } else {
                self.set(repo, path, old)?;
            }
            self.overrides.insert(path.clone(), old);
        }
        Ok((self, findings))
    }
}
