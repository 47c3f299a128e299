//! A commons: a git repository holding `tribune.toml` on its trunk, and the one way to
//! change it (a compare-and-swap commit on a branch, retried when another writer wins).

use crate::error::{fail, UserError};
use crate::git::{Discovery, Edit, Identity, Oid, RefUpdate, Repo};
use crate::model::config::Config;
use crate::model::layout;
use crate::model::roster::{Contingent, Member};
use anyhow::{Context, Result};
use std::path::Path;

/// The git config key naming the trunk when it is not `main`.
pub const TRUNK_CONFIG_KEY: &str = "tribune.trunk";
pub const DEFAULT_TRUNK: &str = "main";

pub struct Commons {
    pub repo: Repo,
    pub config: Config,
    pub trunk_ref: String,
    /// The trunk's tip when it is not the ref's (see [`Commons::at_tip`]).
    pinned: Option<Oid>,
    /// Statement tags (slug → tag object) as they would be after a push that is not taken
    /// yet (see [`Commons::with_tags`]).
    pending_tags: std::collections::HashMap<String, Oid>,
    /// Ballot refs as they would be after a push not taken yet (None: deleted), see
    /// [`Commons::with_ballots`].
    pending_ballots: std::collections::BTreeMap<String, Option<Oid>>,
}

/// The newest tribune.toml that parses on the trunk's first-parent line from `tip` (its
/// commit and the rules), looking back at most a thousand commits.
fn readable_config(repo: &Repo, tip: Oid) -> Result<Option<(Oid, Config)>> {
    let mut at = Some(tip);
    for _ in 0..1_000 {
        let Some(c) = at else { break };
        if let Some((_, text)) = repo.blob_at(repo.commit_tree(c)?, layout::CONFIG)? {
            if let Ok(config) = Config::parse(&String::from_utf8_lossy(&text)) {
                return Ok(Some((c, config)));
            }
        }
        at = repo.commit(c)?.parents.first().copied();
    }
    Ok(None)
}

/// The error of a trunk that lost tribune.toml after commit `had` (a plain git commit, or
/// one taken by an older sync from a hub without tribune's hook), with the way back: in a
/// work tree the file restored by a new commit, in a bare repository the trunk set back.
fn lost_config(repo: &Repo, trunk_ref: &str, had: Oid) -> anyhow::Error {
    let shown = repo.display_path();
    let dir = shown.to_string_lossy();
    let dir = dir.trim_end_matches('/');
    let quoted = crate::git::shell_word(Path::new(dir));
    let (config, short, trunk) = (layout::CONFIG, had.short(10), trunk_ref.trim_start_matches("refs/heads/"));
    let log = format!("`git -C {quoted} log {short}..{trunk} -- {config}` shows the commit that removed it");
    let back = if repo.work_dir().is_some() {
        format!(
            "restore it with `git -C {quoted} checkout {short} -- {config}` and commit it (`git -C {quoted} commit -m \
             \"Restore {config}\"`; the commits since stay)"
        )
    } else {
        format!(
            "put the trunk back with `git -C {quoted} update-ref {trunk_ref} {had}` (the commits after it are dropped)"
        )
    };
    fail(
        format!("{dir} is no longer a tribune commons: its trunk ({trunk_ref}) lost {config} after commit {short}"),
        format!("{log}; {back}"),
    )
}

/// A file to write in a commit: its path on the trunk and its bytes.
pub struct Put {
    pub path: String,
    pub data: Vec<u8>,
}

/// What a command wants committed: files, a message, and who authored it.
pub struct Change {
    pub puts: Vec<Put>,
    /// Files to set to objects already in the repository (path, blob id).
    pub links: Vec<(String, Oid)>,
    /// Directories to set to trees already in the repository (path, tree id).
    pub trees: Vec<(String, Oid)>,
    /// Parents after the branch's tip (a merge, such as bringing a branch up to the trunk).
    pub extra_parents: Vec<Oid>,
    pub removes: Vec<String>,
    pub message: String,
    /// None: git's author identity.
    pub author: Option<Identity>,
    /// None: git's committer identity.
    pub committer: Option<Identity>,
    /// Sign the commit with this key (SSH, in the `gpgsig` header).
    pub signer: Option<crate::signing::Signer>,
    /// A commit that changes no file is what is wanted (a founding of the roster as it is).
    pub allow_empty: bool,
}

impl Change {
    pub fn new(message: String) -> Change {
        Change {
            puts: Vec::new(),
            links: Vec::new(),
            trees: Vec::new(),
            extra_parents: Vec::new(),
            removes: Vec::new(),
            message,
            author: None,
            committer: None,
            signer: None,
            allow_empty: false,
        }
    }
    /// Authored and committed by `who` instead of git's identity, when given.
    pub fn by(mut self, who: Option<&Identity>) -> Change {
        if let Some(who) = who {
            self.author = Some(who.clone());
            self.committer = Some(who.clone());
        }
        self
    }
    pub fn put(mut self, path: String, data: Vec<u8>) -> Change {
        self.puts.push(Put { path, data });
        self
    }
}

/// The trunk as it is at one commit: what a change is computed against.
pub struct Snapshot<'c> {
    pub repo: &'c Repo,
    pub commit: Option<Oid>,
    pub tree: Option<Oid>,
}

impl Snapshot<'_> {
    pub fn blob(&self, path: &str) -> Result<Option<(Oid, Vec<u8>)>> {
        match self.tree {
            Some(t) => self.repo.blob_at(t, path),
            None => Ok(None),
        }
    }
    pub fn exists(&self, path: &str) -> Result<bool> {
        match self.tree {
            Some(t) => Ok(self.repo.entry_at(t, path)?.is_some()),
            None => Ok(false),
        }
    }
    pub fn contingent(&self, id: &str) -> Result<Option<Contingent>> {
        let path = layout::contingent(id);
        match self.blob(&path)? {
            Some((_, data)) => Ok(Some(Contingent::parse(id, &path, &String::from_utf8_lossy(&data))?)),
            None => Ok(None),
        }
    }
    pub fn member(&self, id: &str) -> Result<Option<Member>> {
        let path = layout::member(id);
        match self.blob(&path)? {
            Some((_, data)) => Ok(Some(Member::parse(id, &path, &String::from_utf8_lossy(&data))?)),
            None => Ok(None),
        }
    }
    fn ids(&self, dir: &str) -> Result<Vec<String>> {
        let Some(tree) = self.tree else {
            return Ok(Vec::new());
        };
        Ok(self
            .repo
            .list_dir(tree, dir)?
            .into_iter()
            .filter(|e| !e.is_tree)
            .filter_map(|e| e.name.strip_suffix(".toml").map(str::to_string))
            .collect())
    }
    pub fn contingents(&self) -> Result<Vec<Contingent>> {
        self.ids(layout::CONTINGENTS)?.iter().filter_map(|id| self.contingent(id).transpose()).collect()
    }
    pub fn members(&self) -> Result<Vec<Member>> {
        self.ids(layout::MEMBERS)?.iter().filter_map(|id| self.member(id).transpose()).collect()
    }
    /// The contingent, or an error that lists the known ones.
    pub fn require_contingent(&self, id: &str) -> Result<Contingent> {
        if let Some(c) = self.contingent(id)? {
            return Ok(c);
        }
        let known: Vec<String> = self.contingents()?.into_iter().map(|c| c.id).collect();
        let hint = if known.is_empty() {
            "the roster has no contingents yet: add one with `tribune roster add-contingent ID --name NAME`".to_string()
        } else {
            format!("known contingents: {}; add one with `tribune roster add-contingent`", known.join(", "))
        };
        Err(fail(format!("there is no contingent {id:?} in the roster"), hint))
    }
}

/// How many times a writer rebuilds its change after losing a race before giving up.
const MAX_REBUILDS: u32 = 1000;

impl Commons {
    /// Opens the commons at or above `dir`.
    pub fn open(dir: &Path) -> Result<Commons> {
        let repo = match Repo::discover(dir)? {
            Discovery::Found(r) => r,
            Discovery::NotFound => {
                // "at or above ." says nothing: the directory as a path the reader can check.
                let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                return Err(fail(
                    format!("not in a tribune commons: there is no git repository at or above {}", shown.display()),
                    "create one with `tribune init DIR --org NAME`, or run inside a commons (or pass -C DIR)",
                ));
            }
        };
        Commons::of_repo(repo, None, false)
    }

    /// The trunk's ref name in `repo` (`tribune.trunk`, else main).
    pub fn trunk_ref_of(repo: &Repo) -> String {
        let trunk = repo.config_string(TRUNK_CONFIG_KEY).unwrap_or_else(|| DEFAULT_TRUNK.to_string());
        format!("refs/heads/{trunk}")
    }

    /// The commons in `repo` as it would be with its trunk at `tip`, a commit that need not
    /// be on the trunk's ref (a push a hub's pre-receive hook judges before taking it).
    /// Nothing may be written through it.
    pub fn at_tip(repo: Repo, tip: Oid) -> Result<Commons> {
        Commons::of_repo(repo, Some(tip), false)
    }

    /// [`Commons::open`] for `audit`, which must run whatever a commit did to the rules:
    /// when tribune.toml at the trunk's tip does not parse, the newest one on the trunk's
    /// first-parent line that does is used, and an event says so (every other command
    /// stops, pointing at `audit`).
    pub fn open_for_audit(dir: &Path) -> Result<Commons> {
        let commons = Commons::open(dir);
        match commons {
            Err(e)
                if e.downcast_ref::<crate::error::UserError>()
                    .is_some_and(|u| u.message.starts_with("tribune.toml:")) =>
            {
                let repo = match Repo::discover(dir)? {
                    Discovery::Found(r) => r,
                    Discovery::NotFound => return Err(e),
                };
                Commons::of_repo(repo, None, true)
            }
            other => other,
        }
    }

    fn of_repo(repo: Repo, pinned: Option<Oid>, lenient: bool) -> Result<Commons> {
        let trunk_ref = Commons::trunk_ref_of(&repo);
        let trunk = trunk_ref.trim_start_matches("refs/heads/").to_string();
        let tip = match pinned {
            Some(t) => Some(t),
            None => repo.ref_target(&trunk_ref)?,
        };
        let text = match tip {
            Some(tip) => repo.blob_at(repo.commit_tree(tip)?, layout::CONFIG)?,
            None => None,
        };
        let Some((_, text)) = text else {
            if let Some(tip) = tip {
                if let Some((had, _)) = readable_config(&repo, tip)? {
                    return Err(lost_config(&repo, &trunk_ref, had));
                }
            }
            return Err(fail(
                format!(
                    "{} is a git repository but not a tribune commons: {trunk_ref} has no {}",
                    repo.display_path().display(),
                    layout::CONFIG
                ),
                format!("create a commons with `tribune init`; if the trunk is not {trunk:?}, set it with `git config {TRUNK_CONFIG_KEY} BRANCH`"),
            ));
        };
        let config = match Config::parse(&String::from_utf8_lossy(&text)) {
            Ok(c) => c,
            Err(e) => match (lenient, tip) {
                (true, Some(tip)) => match readable_config(&repo, tip)? {
                    Some((commit, config)) => {
                        crate::events::emit(crate::events::Event::ConfigUnreadable {
                            reason: e.message.clone(),
                            used: commit.to_string(),
                        });
                        config
                    }
                    None => return Err(e.into()),
                },
                _ => {
                    let hint = format!(
                        "{}; `tribune audit` names the commit that changed it",
                        e.hint.as_deref().unwrap_or("")
                    );
                    return Err(crate::error::UserError::with_hint(e.message, hint.trim_start_matches("; ")).into());
                }
            },
        };
        Ok(Commons {
            repo,
            config,
            trunk_ref,
            pinned,
            pending_tags: Default::default(),
            pending_ballots: Default::default(),
        })
    }

    /// The commons with statement tags (slug → tag object) that a push would add: a hub's
    /// hook judges an enactment applied in the same push as its statement's approval.
    pub fn with_tags(mut self, tags: std::collections::HashMap<String, Oid>) -> Commons {
        self.pending_tags = tags;
        self
    }

    /// The commons with ballot refs (name → new tip, None: deleted) as a push would leave
    /// them: a hub's hook verifies an approval pushed with ballots it leaves out against
    /// those ballots, not the ones before the push.
    pub fn with_ballots(mut self, ballots: std::collections::BTreeMap<String, Option<Oid>>) -> Commons {
        self.pending_ballots = ballots;
        self
    }

    /// The ballot refs under `prefix` and their tips, a pending push's updates applied.
    pub fn ballot_refs(&self, prefix: &str) -> Result<Vec<(String, Oid)>> {
        let mut refs: std::collections::BTreeMap<String, Oid> =
            self.repo.refs_with_prefix(prefix)?.into_iter().collect();
        for (name, tip) in self.pending_ballots.range(prefix.to_string()..).take_while(|(n, _)| n.starts_with(prefix)) {
            match tip {
                Some(t) => refs.insert(name.clone(), *t),
                None => refs.remove(name),
            };
        }
        Ok(refs.into_iter().collect())
    }

    /// The approval tag of statement `slug`: the one a pending push adds, else the ref's.
    pub fn statement_tag(&self, slug: &str) -> Result<Option<Oid>> {
        match self.pending_tags.get(slug) {
            Some(t) => Ok(Some(*t)),
            None => self.repo.ref_target(&crate::statements::tag_ref(slug)),
        }
    }

    pub fn trunk_tip(&self) -> Result<Oid> {
        if let Some(t) = self.pinned {
            return Ok(t);
        }
        self.repo
            .ref_target(&self.trunk_ref)?
            .ok_or_else(|| UserError::new(format!("the trunk {} has disappeared", self.trunk_ref)).into())
    }

    /// The trunk as it is now.
    pub fn snapshot(&self) -> Result<Snapshot<'_>> {
        let tip = self.trunk_tip()?;
        Ok(Snapshot { repo: &self.repo, commit: Some(tip), tree: Some(self.repo.commit_tree(tip)?) })
    }

    /// Commits a change on the trunk. See [`commit_on`].
    pub fn commit_on_trunk<T>(&self, mut build: impl FnMut(&Snapshot<'_>) -> Result<(Change, T)>) -> Result<(Oid, T)> {
        commit_on(&self.repo, &self.trunk_ref, |snap| {
            // The trunk was deleted under us: never start a new history without tribune.toml.
            if snap.commit.is_none() {
                return Err(fail(
                    format!("the trunk {} disappeared while this command ran", self.trunk_ref),
                    "restore it (git reflog, or fetch it from a remote), then try again",
                ));
            }
            build(snap)
        })
    }

    /// Where derived data (indexes, private filters) lives: `.git/tribune/`.
    pub fn state_dir(&self) -> std::path::PathBuf {
        self.repo.git_dir().join("tribune")
    }
}

/// Commits on `refname` the change `build` computes from its current tip, as a
/// compare-and-swap: when another writer moved the ref meanwhile, the tip is read again
/// and `build` runs again (so its checks see the other writer's work). Nothing is written
/// unless `build` succeeds; no ref moves unless the commit is complete.
pub fn commit_on<T>(
    repo: &Repo,
    refname: &str,
    build: impl FnMut(&Snapshot<'_>) -> Result<(Change, T)>,
) -> Result<(Oid, T)> {
    commit_on_from(repo, refname, || Ok(None), build)
}

/// [`commit_on`], where a missing ref starts from the commit `start` returns (read again on
/// every attempt, so that a branch is created from the trunk as it is at that moment).
pub fn commit_on_from<T>(
    repo: &Repo,
    refname: &str,
    start: impl Fn() -> Result<Option<Oid>>,
    mut build: impl FnMut(&Snapshot<'_>) -> Result<(Change, T)>,
) -> Result<(Oid, T)> {
    for attempt in 0..MAX_REBUILDS {
        let tip = repo.ref_target(refname)?;
        // `base` is the commit the new one builds on; `tip` is what the ref must still hold.
        let base = match tip {
            Some(t) => Some(t),
            None => start()?,
        };
        let tree = match base {
            Some(t) => Some(repo.commit_tree(t)?),
            None => None,
        };
        let snapshot = Snapshot { repo, commit: base, tree };
        let (change, value) = build(&snapshot)?;
        // Identities first: a missing user.name must fail before any object is written.
        let committer = match &change.committer {
            Some(c) => c.clone(),
            None => repo.identity("COMMITTER")?,
        };
        let author = match &change.author {
            Some(a) => a.clone(),
            None => repo.identity("AUTHOR")?,
        };
        let mut edits = Vec::with_capacity(change.puts.len() + change.removes.len());
        for put in &change.puts {
            edits.push(Edit::Put { path: put.path.clone(), blob: repo.write_blob(&put.data)? });
        }
        for (path, blob) in &change.links {
            edits.push(Edit::Put { path: path.clone(), blob: *blob });
        }
        for (path, tree) in &change.trees {
            edits.push(Edit::Tree { path: path.clone(), tree: *tree });
        }
        for path in &change.removes {
            edits.push(Edit::Remove { path: path.clone() });
        }
        let new_tree = repo.edit_tree(tree, &edits)?;
        if tree == Some(new_tree) && change.extra_parents.is_empty() && !change.allow_empty {
            return Err(fail(
                format!("no change: {refname} already holds exactly these files"),
                "there is nothing to commit; edit the files first",
            ));
        }
        let parents: Vec<Oid> = base.into_iter().chain(change.extra_parents.iter().copied()).collect();
        let commit = match &change.signer {
            Some(s) => {
                repo.write_commit(new_tree, &parents, &author, &committer, &change.message, Some(&|d| s.sign(d)))?
            }
            None => repo.write_commit(new_tree, &parents, &author, &committer, &change.message, None)?,
        };
        let summary = change.message.lines().next().unwrap_or("tribune");
        match repo
            .update_ref(refname, commit, tip, &format!("tribune: {summary}"))
            .with_context(|| format!("could not record the commit on {refname}"))?
        {
            RefUpdate::Done => {
                let paths: Vec<String> = change
                    .puts
                    .iter()
                    .map(|p| p.path.clone())
                    .chain(change.links.iter().map(|(p, _)| p.clone()))
                    .chain(change.trees.iter().map(|(p, _)| p.clone()))
                    .chain(change.removes.iter().cloned())
                    .collect();
                if let Some(detail) = repo.refresh_worktree(refname, tree, new_tree, &paths) {
                    crate::events::emit(crate::events::Event::WorktreeNotRefreshed {
                        refname: refname.to_string(),
                        detail,
                    });
                }
                return Ok((commit, value));
            }
            RefUpdate::Moved => std::thread::sleep(crate::git::backoff(attempt.min(6))),
        }
    }
    Err(fail(
        format!("{refname} kept moving: gave up after {MAX_REBUILDS} attempts"),
        "another process is writing to this commons very fast; try again",
    ))
}

/// A commit message: a subject line and `Tribune-*` trailers.
pub fn message(subject: &str, trailers: &[(&str, &str)]) -> String {
    let mut m = format!("{subject}\n\n");
    for (k, v) in trailers {
        m.push_str(&format!("Tribune-{k}: {v}\n"));
    }
    m
}

pub mod actor;
mod create;
pub mod roster;
pub use create::{create, Founders};
