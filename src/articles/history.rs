//! An article's history on the trunk, and finding one of its versions.
//!
//! The walk follows first parents from the trunk tip and compares only the article's own
//! shard between a commit and its parent, so most commits cost two small tree reads. It
//! stops at the commit that created the article: an article's log never reads the
//! history from before it existed. (An article removed and added again shows its history
//! since it was added again; a change merged in from a side branch is shown as the merge.)

use crate::commons::Commons;
use crate::error::fail;
use crate::git::{CommitInfo, Oid};
use crate::index;
use crate::model::layout;
use anyhow::Result;

/// One commit that changed an article's trunk text.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub commit: CommitInfo,
    /// The version after the commit (None when the commit removed the article).
    pub version: Option<Oid>,
    /// `contribute`, `update`, `remove`, or the commit's own `Tribune-Action`.
    pub action: String,
    /// The version before the commit (None when the commit created the article).
    pub previous: Option<Oid>,
}

/// Walks the trunk for commits that changed `slug`'s text, newest first.
pub fn log(commons: &Commons, slug: &str, limit: Option<usize>) -> Result<Vec<LogEntry>> {
    if limit == Some(0) {
        return Ok(Vec::new());
    }
    let tip = commons.trunk_tip()?;
    // An article that is not on the trunk now has no log: finding whether it ever was would
    // mean reading the whole history (DESIGN invariant 6).
    if commons.repo.entry_at(commons.repo.commit_tree(tip)?, &layout::article_text(slug))?.is_none() {
        return Ok(Vec::new());
    }
    Ok(walk(commons, slug, tip, None, limit)?.0)
}

/// The commit that last set `slug`'s trunk text (None when the article is not on the trunk).
///
/// The same answer as `log(…, Some(1))`, remembered: `.git/tribune/setters/<slug>` holds the
/// answer and the trunk tip it was found at. The next call walks only the commits since that
/// tip: if one of them changed the text it is the answer, else the remembered one still is
/// (that tip is on the trunk's first-parent line, and nothing since set the text again).
/// When the tip is not on the line (the trunk was rewritten) or the commit is gone, the walk
/// goes on as if nothing were remembered. An old article's log reaches back to its creation,
/// which on a long history is thousands of commits: `versions` asks this for every call.
pub fn last_change(commons: &Commons, slug: &str) -> Result<Option<LogEntry>> {
    let repo = &commons.repo;
    let tip = commons.trunk_tip()?;
    if repo.entry_at(repo.commit_tree(tip)?, &layout::article_text(slug))?.is_none() {
        return Ok(None);
    }
    if !crate::model::id::is_valid(slug) {
        // Not a name tribune makes (it could not be a file name): walk, remember nothing.
        return Ok(walk(commons, slug, tip, None, Some(1))?.0.into_iter().next());
    }
    let memo = commons.state_dir().join("setters").join(slug);
    // `<commit> <tip it was found at> <version> <previous or -> <action>`.
    let known = std::fs::read_to_string(&memo).ok().and_then(|s| {
        let mut f = s.trim_end().splitn(5, ' ');
        let mut oid = || f.next().and_then(|x| x.parse::<Oid>().ok());
        let (setter, at, version) = (oid()?, oid()?, oid()?);
        let previous = f.next()?.parse::<Oid>().ok();
        let action = f.next().filter(|a| !a.is_empty())?.to_string();
        let info = repo.commit(setter).ok()?;
        repo.has_object(at).then_some((at, LogEntry { commit: info, version: Some(version), action, previous }))
    });
    let (found, reached) = walk(commons, slug, tip, known.as_ref().map(|k| k.0), Some(1))?;
    let entry = match (found.into_iter().next(), known) {
        (Some(e), _) => Some(e),
        (None, Some((_, e))) if reached => Some(e),
        (None, _) => None,
    };
    if let Some(e) = &entry {
        let line = format!(
            "{} {tip} {} {} {}\n",
            e.commit.id,
            e.version.map(|v| v.to_string()).unwrap_or_default(),
            e.previous.map_or("-".to_string(), |p| p.to_string()),
            e.action
        );
        // A cache: a failed write costs the next call a walk, nothing else.
        if std::fs::read_to_string(&memo).ok().as_deref() != Some(line.as_str()) {
            let _ = crate::index::write_file(&memo, line.as_bytes());
        }
    }
    Ok(entry)
}

/// Walks the first-parent line from `from` for commits that changed `slug`'s text, newest
/// first, until `limit` of them, the article's creation, or `stop` (not looked at; the
/// second value says the walk reached it).
fn walk(
    commons: &Commons,
    slug: &str,
    from: Oid,
    stop: Option<Oid>,
    limit: Option<usize>,
) -> Result<(Vec<LogEntry>, bool)> {
    let repo = &commons.repo;
    let shard_path = format!("{}/{}", layout::ARTICLES, layout::shard(slug));
    let text_path = layout::article_text(slug);
    let version_in = |tree: Oid, shard: Option<Oid>| -> Result<Option<Oid>> {
        match shard {
            None => Ok(None),
            Some(_) => Ok(repo.entry_at(tree, &text_path)?.filter(|e| !e.is_tree).map(|e| e.id)),
        }
    };
    let mut out = Vec::new();
    let mut current = Some(from);
    // (commit, tree, shard id, version) of the commit being looked at.
    let mut here: Option<(Oid, Oid, Option<Oid>, Option<Oid>)> = None;
    while let Some(id) = current {
        if Some(id) == stop {
            return Ok((out, true));
        }
        let (_, shard, version) = match here {
            Some((c, t, s, v)) if c == id => (t, s, v),
            _ => {
                let t = repo.commit_tree(id)?;
                let s = repo.entry_at(t, &shard_path)?.map(|e| e.id);
                (t, s, version_in(t, s)?)
            }
        };
        let info = repo.commit(id)?;
        let parent = info.parents.first().copied();
        let (p_tree, p_shard, p_version) = match parent {
            Some(p) => {
                let t = repo.commit_tree(p)?;
                let s = repo.entry_at(t, &shard_path)?.map(|e| e.id);
                // Same shard tree: same article text, no need to look deeper.
                let v = if s == shard { version } else { version_in(t, s)? };
                (Some(t), s, v)
            }
            None => (None, None, None),
        };
        if version != p_version {
            let action = match info.trailer("Tribune-Action") {
                Some(a) => a.to_string(),
                None if version.is_none() => "remove".into(),
                None if p_version.is_none() => "contribute".into(),
                None => "update".into(),
            };
            out.push(LogEntry { commit: info, version, action, previous: p_version });
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            if p_version.is_none() && version.is_some() {
                break; // the commit that created the article
            }
        }
        here = match (parent, p_tree) {
            (Some(p), Some(t)) => Some((p, t, p_shard, p_version)),
            _ => None,
        };
        current = parent;
    }
    Ok((out, false))
}

/// The trunk log of every article at once, as [`log`] gives each (newest first, ending at
/// the commit that created the article): one walk of the trunk's first-parent line, each
/// commit compared with its parent under `articles/` only (shared subtrees are skipped
/// unread). What a site build asks instead of one walk per article.
pub fn all_logs(commons: &Commons) -> Result<std::collections::HashMap<String, Vec<LogEntry>>> {
    let repo = &commons.repo;
    let mut out: std::collections::HashMap<String, Vec<LogEntry>> = Default::default();
    // Articles whose creation was reached: their log is complete.
    let mut done: std::collections::HashSet<String> = Default::default();
    let mut current = Some(commons.trunk_tip()?);
    while let Some(id) = current {
        let info = repo.commit(id)?;
        let parent = info.parents.first().copied();
        let tree = repo.commit_tree(id)?;
        let p_tree = match parent {
            Some(p) => Some(repo.commit_tree(p)?),
            None => None,
        };
        for change in repo.changed_paths(p_tree, tree, layout::ARTICLES)? {
            let parts: Vec<&str> = change.path.split('/').collect();
            let [_, _, _, slug, "index.md"] = parts.as_slice() else { continue };
            if done.contains(*slug) {
                continue;
            }
            let action = match info.trailer("Tribune-Action") {
                Some(a) => a.to_string(),
                None if change.new.is_none() => "remove".into(),
                None if change.old.is_none() => "contribute".into(),
                None => "update".into(),
            };
            if change.old.is_none() && change.new.is_some() {
                done.insert(slug.to_string());
            }
            out.entry(slug.to_string()).or_default().push(LogEntry {
                commit: info.clone(),
                version: change.new,
                action,
                previous: change.old,
            });
        }
        current = parent;
    }
    Ok(out)
}

/// The contingent a stored text speaks for: its front matter's (None when it cannot be read).
pub fn contingent_of(repo: &crate::git::Repo, version: Oid) -> Option<String> {
    let bytes = repo.read_blob(version).ok()?;
    crate::model::article::Article::parse("", &String::from_utf8_lossy(&bytes)).ok().map(|a| a.contingent)
}

/// The contingents an entry's commit acts for: the one its new text names, and the one the
/// text it replaced or removed names when that is another (as `contribute --update` asks
/// the actor to be a member of both).
pub fn acts_for(repo: &crate::git::Repo, e: &LogEntry) -> Vec<String> {
    let mut out = Vec::new();
    for v in [e.version, e.previous].into_iter().flatten() {
        if let Some(c) = contingent_of(repo, v) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Each entry's standing as an act in the name of the contingents it acts for (see
/// [`acts_for`]), judged against the authorised roster at the commit's first parent: the
/// roster in force when the act was made, as the audit judges roster changes. A member's
/// past acts stay verified after they leave or rotate their key; a member admitted later
/// does not gain acts made before. One signature check per entry; an unsigned entry reads
/// no roster at all.
pub fn standings(commons: &Commons, entries: &[LogEntry]) -> Result<Vec<crate::governance::acts::Judged>> {
    use crate::governance::acts::{self, Judged, Standing};
    let repo = &commons.repo;
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let id = e.commit.id;
        if repo.commit_signature(id)?.is_none() {
            out.push(Judged { standing: Standing::Unsigned, signer: None });
            continue;
        }
        // A root commit (the founding) is judged by the roster it holds.
        let parent = e.commit.parents.first().copied().unwrap_or(id);
        let contingents = acts_for(repo, e);
        let refs: Vec<&str> = contingents.iter().map(String::as_str).collect();
        out.push(acts::standing_at(commons, parent, id, &refs)?);
    }
    Ok(out)
}

/// Where a version was found.
#[derive(Debug, Clone)]
pub struct Found {
    pub version: Oid,
    /// `trunk`, `contingents/<id>`, or `history` (an earlier trunk text).
    pub place: String,
}

/// Resolves a version selector for `slug`: `trunk`, a contingent id (its branch), or a
/// prefix of a blob id among the article's versions (trunk, branches, trunk history).
pub fn resolve(commons: &Commons, slug: &str, selector: Option<&str>) -> Result<Found> {
    let repo = &commons.repo;
    let text_path = layout::article_text(slug);
    let trunk_version = repo.entry_at(repo.commit_tree(commons.trunk_tip()?)?, &text_path)?.map(|e| e.id);
    let selector = selector.unwrap_or("trunk");
    if selector == "trunk" {
        return trunk_version
            .map(|v| Found { version: v, place: "trunk".into() })
            .ok_or_else(|| no_article(commons, slug));
    }
    // A contingent id names its edition: its own text of the article if it rewrote it,
    // else the trunk's (what `list --edition` shows). A local edition is preferred to a
    // remote-tracking one.
    // Read once: a hex prefix is a valid id too, and is looked up among them below.
    let editions = index::editions(commons)?;
    if crate::model::id::is_valid(selector) {
        if let Some(edition) = editions.find(selector) {
            if let Some(v) = edition.get(slug)? {
                return Ok(Found { version: v.version.parse()?, place: edition.label.clone() });
            }
            return trunk_version
                .map(|v| Found { version: v, place: format!("trunk; {} has no rewrite of its own", edition.label) })
                .ok_or_else(|| {
                    fail(
                        format!("the contingent {selector:?} has no version of {slug:?}"),
                        format!("see its versions with `tribune versions {slug}`"),
                    )
                });
        }
    }
    let lower = selector.to_ascii_lowercase();
    if lower.len() < 4 || !lower.bytes().all(|b| b.is_ascii_hexdigit()) {
        if trunk_version.is_none() {
            return Err(no_article(commons, slug));
        }
        return Err(fail(
            format!("{selector:?} names no version of {slug:?}"),
            "a version is `trunk`, a contingent id with a branch, or at least 4 hex digits of a version id",
        ));
    }
    let mut candidates: Vec<Found> = Vec::new();
    let add = |candidates: &mut Vec<Found>, version: Oid, place: String| {
        if version.to_string().starts_with(&lower) && !candidates.iter().any(|c| c.version == version) {
            candidates.push(Found { version, place });
        }
    };
    if let Some(v) = trunk_version {
        add(&mut candidates, v, "trunk".into());
    }
    for edition in &editions.list {
        if let Some(e) = repo.entry_at(repo.commit_tree(edition.tip)?, &text_path)? {
            add(&mut candidates, e.id, edition.label.clone());
        }
    }
    if candidates.is_empty() && trunk_version.is_some() {
        for entry in log(commons, slug, None)? {
            if let Some(v) = entry.version {
                add(&mut candidates, v, "history".into());
            }
        }
    }
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 if trunk_version.is_none() => Err(no_article(commons, slug)),
        0 => Err(fail(
            format!("no version of {slug:?} starts with {selector:?}"),
            format!("list them with `tribune log {slug}`"),
        )),
        _ => Err(fail(
            format!("{selector:?} matches {} versions of {slug:?}", candidates.len()),
            format!(
                "give more digits: {}",
                candidates.iter().map(|c| c.version.short(12)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// "No such article", with the nearest slugs as a hint.
pub fn no_article(commons: &Commons, slug: &str) -> anyhow::Error {
    let near: Vec<String> = index::load(commons)
        .map(|idx| {
            let mut scored: Vec<(usize, &str)> = idx
                .articles
                .iter()
                .map(|e| (strsim::levenshtein(&e.slug, slug), e.slug.as_str()))
                .filter(|(d, s)| *d <= slug.len() / 3 + 2 || s.contains(slug))
                .collect();
            scored.sort();
            scored.into_iter().take(3).map(|(_, s)| s.to_string()).collect()
        })
        .unwrap_or_default();
    let hint = if near.is_empty() {
        "list the articles with `tribune list`".to_string()
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    fail(format!("there is no article {slug:?} on the trunk"), hint)
}

/// A file stored beside an article's text (`contribute --attach`).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Attachment {
    pub name: String,
    /// Its blob id.
    pub id: String,
}

/// The files beside `version` of `slug`: those of the trunk's tree when the trunk holds that
/// text, else of the first edition that does. An earlier trunk text found only in the history
/// has none listed.
pub fn attachments(commons: &Commons, slug: &str, version: Oid) -> Result<Vec<Attachment>> {
    let repo = &commons.repo;
    let (dir, text) = (layout::article_dir(slug), layout::article_text(slug));
    let mut tips = vec![commons.trunk_tip()?];
    tips.extend(index::editions(commons)?.list.iter().map(|e| e.tip));
    for tip in tips {
        let tree = repo.commit_tree(tip)?;
        if repo.entry_at(tree, &text)?.map(|e| e.id) == Some(version) {
            return Ok(repo
                .list_dir(tree, &dir)?
                .into_iter()
                .filter(|e| !e.is_tree && e.name != "index.md")
                .map(|e| Attachment { name: e.name, id: e.id.to_string() })
                .collect());
        }
    }
    Ok(Vec::new())
}
