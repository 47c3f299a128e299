//! A statement as proposed: the trunk commit that added its text, found from the trunk tip.

use super::*;
use crate::governance::rules::Breach;

/// A statement as proposed: the commit that added its text, and the text's rule.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub slug: String,
    pub commit: Oid,
    /// When the proposal was committed (seconds).
    pub proposed_at: i64,
    /// The blob id of the text voted on.
    pub text: Oid,
    pub statement: Statement,
    /// The trunk's text now, when it differs from the proposed one (changed by a later commit).
    pub amended: Option<Oid>,
    /// Every way its rule is looser than the organisation's floors in force at the proposal
    /// (`governance::rules`): a statement with any is invalid, whatever its votes.
    pub below_floors: Vec<Breach>,
}

impl Proposal {
    pub fn deadline(&self) -> i64 {
        self.statement.deadline.timestamp()
    }

    /// Refuses when a later commit changed the statement's text on the trunk: "the text of
    /// SLUG on the trunk (NOW) is not `what` (PROPOSED)`after`", with `hint`.
    pub fn refuse_if_amended(&self, what: &str, after: &str, hint: &str) -> Result<()> {
        match self.amended {
            Some(now) => Err(fail(
                format!(
                    "the text of {} on the trunk ({}) is not {what} ({}){after}",
                    self.slug,
                    now.short(10),
                    self.text.short(10)
                ),
                hint,
            )),
            None => Ok(()),
        }
    }
}

/// The slugs of the statements on the trunk.
pub fn slugs(commons: &Commons) -> Result<Vec<String>> {
    let tree = commons.repo.commit_tree(commons.trunk_tip()?)?;
    Ok(commons.repo.list_dir(tree, layout::STATEMENTS)?.into_iter().filter(|e| e.is_tree).map(|e| e.name).collect())
}

/// Finds a statement's proposal: the trunk commit that added its text. The walk follows
/// first parents from the trunk tip and stops there, so it never reads older history.
pub fn find(commons: &Commons, slug: &str) -> Result<Proposal> {
    find_named(commons, slug, None)
}

/// [`find`], where an approval tag not taken yet (sync and clone verify a tag before taking
/// it) names `named` as the proposal, as the tag taken would.
pub fn find_named(commons: &Commons, slug: &str, named: Option<Oid>) -> Result<Proposal> {
    crate::model::id::validate("statement", slug)?;
    let repo = &commons.repo;
    let path = layout::statement_text(slug);
    let tip = commons.trunk_tip()?;
    let Some(now) = repo.entry_at(repo.commit_tree(tip)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id) else {
        // A statement keeps its identity whatever later commits do to its file: removed
        // after its approval, it is the proposal its approval names (the audit names the
        // removal).
        if let Some((commit, text)) = earlier_proposal(commons, slug, tip, named)? {
            let at = repo.commit(commit)?.committer.when.seconds;
            return proposal(commons, slug, commit, text, at, None);
        }
        let known = slugs(commons)?;
        let hint = if known.is_empty() {
            "no statement has been proposed yet: propose one with `tribune propose FILE`".to_string()
        } else {
            format!("the statements are: {}; `tribune statements` lists them", known.join(", "))
        };
        return Err(fail(format!("there is no statement {slug:?} on the trunk"), hint));
    };
    let dir = format!("{}/{slug}", layout::STATEMENTS);
    let mut current = tip;
    let mut current_dir = repo.entry_at(repo.commit_tree(tip)?, &dir)?.map(|e| e.id);
    let mut blob = now;
    loop {
        let info = repo.commit(current)?;
        // The first parent, unless the text came in through another parent of a merge (a
        // plain `git pull` puts the local side first): follow the parent that has it.
        let mut parent = info.parents.first().copied();
        if info.parents.len() > 1 {
            let has = |p: Oid| -> Result<Option<Oid>> {
                Ok(repo.entry_at(repo.commit_tree(p)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id))
            };
            let mut with_text = None;
            for p in &info.parents {
                match has(*p)? {
                    Some(b) if b == blob => {
                        with_text = Some(*p);
                        break;
                    }
                    Some(_) if with_text.is_none() => with_text = Some(*p),
                    _ => {}
                }
            }
            if with_text.is_some() {
                parent = with_text;
            }
        }
        let parent_dir = match parent {
            Some(p) => repo.entry_at(repo.commit_tree(p)?, &dir)?.map(|e| e.id),
            None => None,
        };
        let parent_blob = match (parent, parent_dir == current_dir) {
            (Some(_), true) => Some(blob),
            (Some(p), false) => repo.entry_at(repo.commit_tree(p)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id),
            (None, _) => None,
        };
        match (parent, parent_blob) {
            (Some(p), Some(b)) => {
                current = p;
                current_dir = parent_dir;
                blob = b;
            }
            _ => {
                // A statement keeps the identity of its first proposal: a file removed and
                // added again after its approval is the same statement, not a new vote, when
                // the approval names an earlier proposal that this history holds.
                let (commit, blob, proposed_at) = match earlier_proposal(commons, slug, current, named)? {
                    Some((earlier, text)) => (earlier, text, repo.commit(earlier)?.committer.when.seconds),
                    None => (current, blob, info.committer.when.seconds),
                };
                return proposal(commons, slug, commit, blob, proposed_at, Some(now));
            }
        }
    }
}

/// The proposal of `slug` made by `commit` with the text `blob`; `now` is the statement's
/// file at the trunk's tip (None: removed since).
fn proposal(
    commons: &Commons,
    slug: &str,
    commit: Oid,
    blob: Oid,
    proposed_at: i64,
    now: Option<Oid>,
) -> Result<Proposal> {
    let path = layout::statement_text(slug);
    let text = String::from_utf8_lossy(&commons.repo.read_blob(blob)?).into_owned();
    let statement = Statement::parse(&path, &text)
        .with_context(|| format!("the proposal of {slug} (commit {}) is not a valid statement", commit.short(10)))?;
    let below_floors = crate::governance::rules::breaches(commons, commit, &statement);
    Ok(Proposal {
        slug: slug.to_string(),
        commit,
        proposed_at,
        text: blob,
        statement,
        amended: now.filter(|n| *n != blob),
        below_floors,
    })
}

/// An earlier proposal of `slug` than `found` (the commit that added its present file, or
/// the trunk's tip when the file is gone), as named by its approval tag: a commit that is an
/// ancestor of `found`, and that added the statement's file; `also` is one more named by a
/// tag not taken yet. One read when there is a tag, none when there is not: `vote` and
/// `tally` run this on every call. (The ballots of an open vote name their proposal too,
/// but reading every ballot ref on each vote costs 17 ms at 10,000 ballots; the removal of
/// a statement file before its approval is for the trunk's audit to refuse.)
fn earlier_proposal(commons: &Commons, slug: &str, found: Oid, also: Option<Oid>) -> Result<Option<(Oid, Oid)>> {
    let repo = &commons.repo;
    let path = layout::statement_text(slug);
    let mut named: Vec<Oid> = also.into_iter().filter(|id| *id != found).collect();
    let mut name = |message: &str| {
        for (k, v) in crate::git::trailers(message) {
            if k == "Tribune-Proposal" {
                if let Ok(id) = v.parse::<Oid>() {
                    if id != found && !named.contains(&id) {
                        named.push(id);
                    }
                }
            }
        }
    };
    if let Some(id) = commons.statement_tag(slug)? {
        if let Ok(Some(tag)) = repo.read_tag(id) {
            name(&tag.message);
        }
    }
    let text_at = |c: Oid| -> Result<Option<Oid>> {
        Ok(repo.entry_at(repo.commit_tree(c)?, &path)?.filter(|e| !e.is_tree).map(|e| e.id))
    };
    let mut best: Option<(Oid, Oid)> = None;
    for id in named {
        if !repo.has_object(id) || repo.commit_if_commit(id)?.is_none() || !repo.is_ancestor(id, found)? {
            continue;
        }
        let Some(text) = text_at(id)? else { continue };
        let parents = repo.commit(id)?.parents;
        // It must have added the file: no parent had it.
        let mut added = true;
        for p in parents {
            if text_at(p)?.is_some() {
                added = false;
            }
        }
        if !added {
            continue;
        }
        best = match best {
            Some((b, t)) if !repo.is_ancestor(id, b)? => Some((b, t)),
            _ => Some((id, text)),
        };
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commons() -> (tempfile::TempDir, Commons) {
        let dir = tempfile::tempdir().unwrap();
        let who = crate::git::Identity {
            name: "T".into(),
            email: "t@example.org".into(),
            when: crate::git::Timestamp { seconds: 1_795_000_000, offset_minutes: 0 },
        };
        crate::commons::create(dir.path(), "Org", "main", Some(&who), None).unwrap();
        let c = Commons::open(dir.path()).unwrap();
        (dir, c)
    }

    fn put(c: &Commons, path: &str, text: Option<&str>) -> Oid {
        let who = crate::git::Identity {
            name: "T".into(),
            email: "t@example.org".into(),
            when: crate::git::Timestamp { seconds: 1_795_000_100, offset_minutes: 0 },
        };
        c.commit_on_trunk(|_| {
            let change = crate::commons::Change::new("x\n".into());
            let change = match text {
                Some(t) => change.put(path.to_string(), t.as_bytes().to_vec()),
                None => {
                    let mut c = change;
                    c.removes.push(path.to_string());
                    c
                }
            };
            Ok((change.by(Some(&who)), ()))
        })
        .unwrap()
        .0
    }

    const TEXT: &str = "+++\ntitle = \"For the strike\"\ndeadline = 2026-12-01T00:00:00Z\nthreshold = \"2/3\"\nbasis = \"cast\"\nquorum = \"1/2\"\n+++\nWe support it.\n";

    #[test]
    fn the_proposal_is_the_commit_that_added_the_text_and_a_later_change_amends_it() {
        let (_d, c) = commons();
        let path = layout::statement_text("s");
        let first = put(&c, &path, Some(TEXT));
        put(&c, "other.txt", Some("unrelated"));
        let p = find(&c, "s").unwrap();
        assert_eq!(p.commit, first);
        assert_eq!(p.amended, None);
        put(&c, &path, Some(&TEXT.replace("We support it.", "We oppose it.")));
        let p = find(&c, "s").unwrap();
        assert_eq!(p.commit, first, "a change of text is an amendment, not a new proposal");
        assert!(p.amended.is_some());
        assert!(find(&c, "nope").is_err());
    }

    #[test]
    fn without_an_approval_a_removed_and_readded_text_is_a_new_proposal() {
        let (_d, c) = commons();
        let path = layout::statement_text("s");
        let first = put(&c, &path, Some(TEXT));
        put(&c, &path, None);
        let again = put(&c, &path, Some(TEXT));
        assert_ne!(first, again);
        assert_eq!(find(&c, "s").unwrap().commit, again);
        assert_eq!(earlier_proposal(&c, "s", again, None).unwrap(), None);
    }
}
