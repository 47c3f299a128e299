//! Merges of refs changed on both sides: a rater's notes, a member's ballots, an edition,
//! the trunk; statement tags taken only when they verify; conflicts kept.

use super::*;

/// Git's configured SSH key when it is one of `member`'s keys in the roster, and those keys:
/// a merge of a member's records (ratings, ballots) is signed as the member's own are.
pub(super) fn member_signer(commons: &Commons, member: &str) -> Result<(Option<crate::signing::Signer>, Vec<String>)> {
    let keys = crate::ratings::keys_of(&commons.snapshot()?, member)?;
    let signer = match crate::signing::configured(&commons.repo, None) {
        Ok(Some(s)) if !keys.is_empty() && s.is_one_of(&keys) => Some(s),
        _ => None,
    };
    Ok((signer, keys))
}

/// A ref changed on this clone (`ours`) and on the remote (`theirs`) since they parted.
#[derive(Clone, Copy)]
pub(super) struct Fork<'a> {
    pub commons: &'a Commons,
    pub pair: &'a Pair,
    pub ours: Oid,
    pub theirs: Oid,
}

impl Fork<'_> {
    /// Moves the ref from `ours` to the merge `commit`, counting what arrived from the
    /// remote; None when the ref moved meanwhile (nothing is lost: the next sync merges again).
    pub(super) fn land(&self, kind: Kind, commit: Oid) -> Result<Option<Moved>> {
        let mut arrived = Moved::default();
        count(&self.commons.repo, kind, &self.pair.local, Some(self.ours), self.theirs, &mut arrived)?;
        Ok(move_ref(self.commons, &self.pair.local, Some(self.ours), commit)?.then_some(arrived))
    }
}

/// A merge commit of `ours` then `theirs`, signed by `signer` if there is one.
pub(super) fn write_merge(
    repo: &Repo,
    tree: Oid,
    ours: Oid,
    theirs: Oid,
    message: &str,
    signer: Option<&crate::signing::Signer>,
) -> Result<Oid> {
    let who = repo.identity("COMMITTER")?;
    match signer {
        Some(s) => repo.write_commit(tree, &[ours, theirs], &who, &who, message, Some(&|d| s.sign(d))),
        None => repo.write_commit(tree, &[ours, theirs], &who, &who, message, None),
    }
}

/// Two copies of a rater's notes: a merge commit whose tree is the union of both, signed
/// with the configured key when it is one of the rater's (as their own notes commits are).
pub(super) fn merge_notes(fork: &Fork<'_>, report: &mut Report) -> Result<Option<Moved>> {
    let Fork { commons, pair, ours, theirs } = *fork;
    let repo = &commons.repo;
    let ours_tree = repo.commit_tree(ours)?;
    let theirs_tree = repo.commit_tree(theirs)?;
    let changed = repo.merge_notes(Some(ours_tree), theirs_tree)?;
    let edits: Vec<Edit> = repo.note_edits(Some(ours_tree), &changed)?;
    let tree = repo.edit_tree(Some(ours_tree), &edits)?;
    let rater = pair.local.rsplit('/').next().unwrap_or("");
    let message = crate::commons::message(
        &format!("merge the ratings of {rater} from {}", report.remote),
        &[("Action", "merge-ratings"), ("Rater", rater)],
    );
    let (signer, keys) = member_signer(commons, rater)?;
    // An unsigned merge would make every rating of a rater with a key show as forged,
    // everywhere it travels: leave it to a clone that holds the rater's key.
    if signer.is_none() && !keys.is_empty() {
        add_line(
            &mut report.diverged,
            Diverged::SignedRatings { refname: pair.local.clone(), rater: rater.to_string() },
        );
        return Ok(Some(Moved::default()));
    }
    let commit = write_merge(repo, tree, ours, theirs, &message, signer.as_ref())?;
    fork.land(Kind::Notes, commit)
}

/// A member's ballots cast on this clone and on another: a merge commit with the empty
/// tree (local tip, then the remote's), so that every ballot stays reachable; the tally walks
/// through it. Signed with the configured key when it is one of the member's, else unsigned
/// (the tally judges ballots, never the merge). Two ballots with one sequence number are
/// both excluded by the tally until the member votes again, on either clone: the report
/// says so.
pub(super) fn merge_ballots(fork: &Fork<'_>, report: &mut Report) -> Result<Option<Moved>> {
    let Fork { commons, pair, ours, theirs } = *fork;
    let repo = &commons.repo;
    let rest = pair.local.strip_prefix(crate::statements::BALLOT_REFS).unwrap_or(&pair.local);
    let (statement, member) = rest.rsplit_once('/').unwrap_or(("", rest));
    let remote = &report.remote;
    let message = crate::commons::message(
        &format!("merge the ballots of {member} on {statement} from {remote}"),
        &[("Action", "merge-ballots"), ("Member", member)],
    );
    let (signer, _) = member_signer(commons, member)?;
    let commit = write_merge(repo, repo.empty_tree()?, ours, theirs, &message, signer.as_ref())?;
    let Some(arrived) = fork.land(Kind::Ballots, commit)? else { return Ok(None) };
    // The highest sequence number cast on each side since they parted: when they are the
    // same, neither ballot counts.
    let parted: Vec<Oid> = repo.merge_base(ours, theirs)?.into_iter().collect();
    let highest = |tip: Oid| -> Result<Option<u64>> {
        let mut top = None;
        for id in repo.walk(tip, &parted)? {
            let info = repo.commit(id?)?;
            if info.trailer("Tribune-Statement").is_some() {
                top = top.max(info.trailer("Tribune-Seq").and_then(|s| s.parse::<u64>().ok()));
            }
        }
        Ok(top)
    };
    let same_seq = match (highest(ours)?, highest(theirs)?) {
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    };
    add_line(
        &mut report.merged,
        Merged::Ballots {
            refname: pair.local.clone(),
            member: member.to_string(),
            statement: statement.to_string(),
            same_seq,
        },
    );
    Ok(Some(arrived))
}

/// A contingent's edition changed on this clone and on another: a three-way merge of the
/// trees (the same as the trunk's), as a merge commit (local tip, then the remote's). When
/// both changed one file differently, nothing is written and the ref is reported, with
/// which article and how to settle it.
pub(super) fn merge_edition(fork: &Fork<'_>, report: &mut Report) -> Result<Option<Moved>> {
    let Fork { commons, pair, ours, theirs } = *fork;
    let repo = &commons.repo;
    let remote = &report.remote;
    let contingent = pair.local.rsplit('/').next().unwrap_or("");
    let base_tree = repo.merge_base(ours, theirs)?.map(|b| repo.commit_tree(b)).transpose()?;
    let their_tree = repo.commit_tree(theirs)?;
    let merge = repo.merge_trees(base_tree, repo.commit_tree(ours)?, their_tree)?;
    if !merge.conflicts.is_empty() {
        let mut clashes = Vec::new();
        for (path, mine) in &merge.conflicts {
            let there = repo.entry_at(their_tree, path)?.filter(|e| !e.is_tree).map(|e| e.id);
            clashes.push(Clash {
                path: path.clone(),
                slug: crate::index::slug_of_text_path(path).map(str::to_string),
                here: mine.map(|m| m.to_string()),
                there: there.map(|t| t.to_string()),
            });
        }
        add_line(
            &mut report.diverged,
            Diverged::Edition { refname: pair.local.clone(), contingent: contingent.to_string(), clashes },
        );
        return Ok(Some(Moved::default()));
    }
    let message = crate::commons::message(
        &format!("merge the edition of {contingent} from {remote}"),
        &[("Action", "merge-edition"), ("Contingent", contingent)],
    );
    let commit = write_merge(repo, merge.tree, ours, theirs, &message, None)?;
    let Some(arrived) = fork.land(Kind::Edition, commit)? else { return Ok(None) };
    add_line(&mut report.merged, Merged::Edition { refname: pair.local.clone(), contingent: contingent.to_string() });
    Ok(Some(arrived))
}

/// A statement tag from the remote is taken only when it verifies.
pub(super) fn tag(
    commons: &Commons,
    pair: &Pair,
    ours: Option<Oid>,
    theirs: Oid,
    dry_run: bool,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let slug = pair.local.rsplit('/').next().unwrap_or("").to_string();
    let mut arrived = Moved::default();
    if let Some(o) = ours {
        let found = Diverged::Approvals {
            refname: pair.local.clone(),
            statement: slug,
            here: o.to_string(),
            there: theirs.to_string(),
        };
        add_line(&mut report.diverged, found);
        return Ok(Some(arrived));
    }
    if dry_run {
        add_line(&mut report.plan, Step::VerifyAndTake { refname: pair.local.clone() });
        return Ok(Some(arrived));
    }
    let v = crate::statements::verify_tag(commons, &slug, theirs)?;
    if !v.problems.is_empty() {
        add_line(&mut report.rejected_tags, RefusedTag { refname: pair.local.clone(), problems: v.problems });
        return Ok(Some(arrived));
    }
    arrived.statements += 1;
    Ok(move_ref(commons, &pair.local, None, theirs)?.then_some(arrived))
}

/// Local trunk commits merged with the remote's trunk. Nothing is replayed: ballots, tags,
/// editions and challenges name trunk commits, so a commit keeps its id through sync. The
/// merge takes every file this clone changed since the histories parted and the remote did
/// not; a file both sides changed to different contents, or that one side deleted and the
/// other changed, is a conflict: the trunk takes the remote's text, the local text is kept as
/// a rival version (an article), and the local trunk as it was on the branch
/// `sync-conflicts/<commit>`.
pub(super) fn merge_trunk(
    commons: &Commons,
    remote_name: &str,
    ours: Oid,
    theirs: Oid,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    // What arrived is what the remote did since the histories parted, not our own edits.
    let parted = repo.merge_base(ours, theirs)?;
    let mut arrived = Moved::default();
    count(repo, Kind::Trunk, &commons.trunk_ref, parted, theirs, &mut arrived)?;
    let base_tree = parted.map(|p| repo.commit_tree(p)).transpose()?;
    let merge = repo.merge_trees(base_tree, repo.commit_tree(ours)?, repo.commit_tree(theirs)?)?;
    let who = repo.identity("COMMITTER")?;
    let message = crate::commons::message(
        &format!("merge the trunk of {remote_name}"),
        &[("Action", "merge-trunk"), ("Remote", remote_name)],
    );
    let merged = repo.write_commit(merge.tree, &[theirs, ours], &who, &who, &message, None)?;
    if !move_ref(commons, &commons.trunk_ref, Some(ours), merged)? {
        return Ok(None);
    }
    if !merge.conflicts.is_empty() {
        // Our trunk is in the merge's history already; the branch names it for the user.
        let keep = format!("refs/heads/sync-conflicts/{}", ours.short(10));
        repo.update_ref(&keep, ours, repo.ref_target(&keep)?, "tribune sync: local trunk kept")?;
        for (path, blob) in merge.conflicts {
            report.conflicts.push(keep_conflict(commons, &path, blob, &keep));
        }
    }
    Ok(Some(arrived))
}

/// Keeps our text of a conflicting path (None: we deleted it), and says how. Never fails:
/// at worst the text is only on the kept branch, and the conflict says so.
pub(super) fn keep_conflict(commons: &Commons, path: &str, ours: Option<Oid>, kept: &str) -> Conflict {
    let mut conflict = Conflict {
        path: path.to_string(),
        slug: None,
        kept: Kept::Deletion,
        branch: kept.trim_start_matches("refs/heads/").to_string(),
        trunk: commons.trunk_ref.trim_start_matches("refs/heads/").to_string(),
    };
    let Some(ours) = ours else { return conflict };
    let as_rival = || -> Result<Option<(String, String)>> {
        let Some(slug) = crate::index::slug_of_text_path(path) else { return Ok(None) };
        let text = String::from_utf8_lossy(&commons.repo.read_blob(ours)?).into_owned();
        let Ok(article) = crate::model::article::Article::parse(path, &text) else { return Ok(None) };
        let contingent = article.contingent.clone();
        let editions = crate::index::editions(commons)?;
        let base = crate::versions::rewrite::base_for(commons, &editions, slug, &contingent)?;
        let kept = crate::versions::rewrite::NewText {
            slug,
            contingent: &contingent,
            name: path,
            text: &text,
            summary: Some("This clone's trunk text, kept by tribune sync after a conflict"),
            attach: &[],
            detach: &[],
        };
        crate::versions::rewrite::commit_rewrite(commons, &base, &kept, None, None)?;
        Ok(Some((slug.to_string(), contingent)))
    };
    match as_rival() {
        Ok(Some((slug, contingent))) => {
            conflict.slug = Some(slug);
            conflict.kept = Kept::Rival { contingent };
        }
        _ => conflict.kept = Kept::Branch,
    }
    conflict
}
