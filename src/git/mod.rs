//! The storage boundary: the only module that names `git2`.
//!
//! Everything above this module speaks in paths, blob contents and ref names; every
//! libgit2 error is turned into a message that says what was being done. "Not found" is an
//! `Option`, never an error (the git-branchless convention).

mod commit;
mod date;
mod identity;
mod notes;
mod oid;
mod pack;
mod packed;
mod packread;
mod pool;
mod refs;
pub mod remote;
mod scratch;
mod settings;
mod sign;
mod tag;
mod tree;
mod treecheck;
mod treediff;
mod worktree;

pub use commit::{trailers, CommitInfo};
pub use date::approxidate;
pub use identity::{commit_time, parse_git_date, Identity, Timestamp};
pub use notes::union_lines;
pub use oid::Oid;
pub use refs::{backoff, shell_word, RefUpdate};
pub use tag::TagInfo;
pub use tree::{Edit, Subtrees, TreeMerge};
pub use treecheck::BadTree;

use anyhow::{anyhow, Context, Result};
use std::path::{Path, PathBuf};

/// A blob path that differs between two trees: its old and new ids (None: absent).
#[derive(Debug, Clone)]
pub struct PathChange {
    pub path: String,
    pub old: Option<Oid>,
    pub new: Option<Oid>,
}

/// One entry of a tree listing.
#[derive(Debug, Clone)]
pub struct TreeEntry {
    pub name: String,
    pub id: Oid,
    pub is_tree: bool,
}

/// An open repository.
pub struct Repo {
    inner: git2::Repository,
    /// Its pack files, for reading trees and blobs without libgit2 (see `packread`):
    /// looked up on first use; None when libgit2 should read everything.
    packs: std::cell::OnceCell<Option<std::sync::Arc<packread::Packs>>>,
    /// Objects read through libgit2 before the packs were opened (see `read_packed`).
    early_reads: std::cell::Cell<u32>,
}

/// Does this directory hold (or sit inside) a git repository?
pub enum Discovery {
    Found(Repo),
    NotFound,
}

impl Repo {
    fn wrap(inner: git2::Repository) -> Repo {
        Repo { inner, packs: std::cell::OnceCell::new(), early_reads: std::cell::Cell::new(0) }
    }

    /// The object `id` read from the pack files directly, when it is there; None leaves it
    /// to libgit2. Opening the packs checks their indexes whole (a few milliseconds for a
    /// large commons), which pays for itself over many reads only: a handle reads its first
    /// objects through libgit2, unless another handle of the process opened the packs.
    fn read_packed(&self, id: Oid) -> Option<(packread::Kind, Vec<u8>)> {
        const EARLY: u32 = 256;
        let dir = self.inner.commondir();
        let packs = match self.packs.get() {
            Some(packs) => packs,
            None if self.early_reads.get() < EARLY && !packread::Packs::opened(dir) => {
                self.early_reads.set(self.early_reads.get() + 1);
                return None;
            }
            None => self.packs.get_or_init(|| packread::Packs::of(dir)),
        };
        packs.as_ref()?.read(id)
    }

    /// Finds the repository at or above `dir`, as git does.
    pub fn discover(dir: &Path) -> Result<Discovery> {
        match git2::Repository::discover(dir) {
            Ok(inner) => Ok(Discovery::Found(Repo::wrap(inner))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(Discovery::NotFound),
            Err(e) => Err(anyhow!("could not open the git repository at {}: {}", dir.display(), e.message())),
        }
    }

    /// Opens exactly `dir` (no search upwards), if it is a repository.
    pub fn open_exact(dir: &Path) -> Result<Option<Repo>> {
        match git2::Repository::open_ext(
            dir,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        ) {
            Ok(inner) => Ok(Some(Repo::wrap(inner))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not open the git repository at {}: {}", dir.display(), e.message())),
        }
    }

    /// Opens the repository as git's environment names it (GIT_DIR, and the object
    /// directories GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES, which hold a
    /// push's objects in quarantine while a hook runs), else the one at or above the
    /// current directory.
    pub fn open_from_env() -> Result<Repo> {
        let inner = git2::Repository::open_from_env()
            .map_err(|e| anyhow!("could not open the git repository of this hook: {}", e.message()))?;
        // libgit2 splits GIT_ALTERNATE_OBJECT_DIRECTORIES at every ':', quotes and all: a hub
        // whose path holds one could not read its own objects while judging a push.
        if let Some(odb) = pool::own_object_database(inner.path()) {
            inner.set_odb(&odb).context("could not open the object database")?;
        }
        Ok(Repo::wrap(inner))
    }

    /// Is this a bare repository?
    pub fn is_bare(&self) -> bool {
        self.inner.is_bare()
    }

    /// Creates a new bare repository whose HEAD names `trunk`.
    pub fn init_bare(dir: &Path, trunk: &str) -> Result<Repo> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.bare(true).mkpath(true).initial_head(&format!("refs/heads/{trunk}"));
        let inner = git2::Repository::init_opts(dir, &opts)
            .with_context(|| format!("could not create a git repository at {}", dir.display()))?;
        Ok(Repo::wrap(inner))
    }

    /// The git directory (`.git` of a work tree, or the bare repository itself).
    pub fn git_dir(&self) -> &Path {
        self.inner.path()
    }

    /// The work tree, if the repository has one.
    pub fn work_dir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// A human name for the repository: the work tree, or the git directory when bare.
    pub fn display_path(&self) -> PathBuf {
        self.work_dir().unwrap_or_else(|| self.git_dir()).to_path_buf()
    }

    /// True when no ref at all exists (a freshly `git init`ed repository).
    pub fn has_no_refs(&self) -> Result<bool> {
        let mut refs = self.inner.references().context("could not list references")?;
        Ok(refs.next().is_none())
    }

    /// Points HEAD at `refs/heads/<branch>` (which need not exist yet).
    pub fn set_head_branch(&self, branch: &str) -> Result<()> {
        self.inner
            .set_head(&format!("refs/heads/{branch}"))
            .with_context(|| format!("could not point HEAD at {branch}"))
    }

    /// The branch HEAD names, if HEAD is symbolic.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.inner.find_reference("HEAD").ok()?;
        let target = head.symbolic_target()?;
        target.strip_prefix("refs/heads/").map(str::to_string)
    }

    /// A string from git's configuration (repository, then global, then system).
    pub fn config_string(&self, key: &str) -> Option<String> {
        if let Some(v) = self.inner.config().ok().and_then(|c| c.get_string(key).ok()) {
            return Some(v);
        }
        let global = std::env::var_os("GIT_CONFIG_GLOBAL")?;
        git2::Config::open(Path::new(&global)).ok()?.get_string(key).ok()
    }

    /// A string of git's configuration outside any repository (global and system files,
    /// and GIT_CONFIG_GLOBAL as git reads it): for what happens before a repository exists.
    pub fn default_config_string(key: &str) -> Option<String> {
        if let Some(global) = std::env::var_os("GIT_CONFIG_GLOBAL") {
            if let Some(v) = git2::Config::open(Path::new(&global)).ok().and_then(|c| c.get_string(key).ok()) {
                return Some(v);
            }
        }
        git2::Config::open_default().ok()?.get_string(key).ok()
    }

    /// Sets a string in the repository's own configuration.
    pub fn set_config_string(&self, key: &str, value: &str) -> Result<()> {
        let cfg = self.inner.config().context("could not read the repository configuration")?;
        let mut local = cfg.open_level(git2::ConfigLevel::Local).context("could not open .git/config")?;
        local.set_str(key, value).with_context(|| format!("could not set {key} in the repository configuration"))?;
        drop(cfg);
        Ok(())
    }

    /// The object a ref points at, if the ref exists (symbolic refs are followed).
    pub fn ref_target(&self, name: &str) -> Result<Option<Oid>> {
        match self.inner.refname_to_id(name) {
            Ok(id) => Ok(Some(Oid(id))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read ref {name}: {}", e.message())),
        }
    }

    /// Every ref whose name starts with `prefix`, with its target, sorted by name.
    ///
    /// libgit2 reads packed-refs before the loose refs (git reads them the other way round,
    /// for this reason): a `git pack-refs` that moves refs into packed-refs meanwhile (`git
    /// gc --auto` after a fetch, in the background) hides them from the listing. So the
    /// listing is made again when packed-refs changed while it was made.
    pub fn refs_with_prefix(&self, prefix: &str) -> Result<Vec<(String, Oid)>> {
        let packed = self.inner.commondir().join("packed-refs");
        let stamp = || {
            let m = std::fs::metadata(&packed).ok()?;
            #[cfg(unix)]
            let ino = std::os::unix::fs::MetadataExt::ino(&m);
            #[cfg(not(unix))]
            let ino = 0u64;
            Some((ino, m.len(), m.modified().ok()))
        };
        let mut tries = 0;
        loop {
            let before = stamp();
            let refs = self.list_refs(prefix)?;
            tries += 1;
            if stamp() == before || tries == 10 {
                return Ok(refs);
            }
        }
    }

    fn list_refs(&self, prefix: &str) -> Result<Vec<(String, Oid)>> {
        let glob = format!("{prefix}*");
        let mut out = Vec::new();
        for r in self.inner.references_glob(&glob).with_context(|| format!("could not list refs {glob}"))? {
            let r = r.with_context(|| format!("could not read a ref under {prefix}"))?;
            // A direct ref has its target already: resolving it would read it again (a
            // thousand loose rater refs cost fifteen thousand system calls that way).
            let target = match r.target() {
                Some(id) => Some(id),
                None => r.resolve().ok().and_then(|t| t.target()),
            };
            if let (Some(name), Some(id)) = (r.name(), target) {
                out.push((name.to_string(), Oid(id)));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Writes a blob and returns its id.
    pub fn write_blob(&self, data: &[u8]) -> Result<Oid> {
        Ok(Oid(self.inner.blob(data).context("could not write a blob")?))
    }

    /// The contents of a blob.
    pub fn read_blob(&self, id: Oid) -> Result<Vec<u8>> {
        if let Some((packread::Kind::Blob, bytes)) = self.read_packed(id) {
            return Ok(bytes);
        }
        let blob = self.inner.find_blob(id.0).with_context(|| format!("could not read blob {id}"))?;
        Ok(blob.content().to_vec())
    }

    /// Does an object with this id exist?
    pub fn has_object(&self, id: Oid) -> bool {
        self.inner.odb().map(|odb| odb.exists(id.0)).unwrap_or(false)
    }

    /// Reads a commit.
    pub fn commit(&self, id: Oid) -> Result<CommitInfo> {
        let c = self.inner.find_commit(id.0).with_context(|| format!("could not read commit {id}"))?;
        let author = Identity::from_git(&c.author());
        let committer = Identity::from_git(&c.committer());
        let info = CommitInfo {
            id,
            tree: Oid(c.tree_id()),
            parents: c.parent_ids().map(Oid).collect(),
            author,
            committer,
            message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
        };
        Ok(info)
    }

    /// What kind of object `id` is ("commit", "tree", "blob" or "tag"); None when the
    /// repository does not have it.
    pub fn object_kind(&self, id: Oid) -> Result<Option<&'static str>> {
        let odb = self.inner.odb().context("could not open the object database")?;
        match odb.read_header(id.0) {
            Ok((_, kind)) => Ok(Some(match kind {
                git2::ObjectType::Commit => "commit",
                git2::ObjectType::Tree => "tree",
                git2::ObjectType::Blob => "blob",
                git2::ObjectType::Tag => "tag",
                _ => "object of an unknown kind",
            })),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read object {id}: {}", e.message())),
        }
    }

    /// The size in bytes of object `id`, from its header (a blob is not read whole).
    pub fn object_size(&self, id: Oid) -> Result<usize> {
        let odb = self.inner.odb().context("could not open the object database")?;
        let (size, _) = odb.read_header(id.0).map_err(|e| anyhow!("could not read object {id}: {}", e.message()))?;
        Ok(size)
    }

    /// Reads a commit; None when `id` names another kind of object (or nothing).
    pub fn commit_if_commit(&self, id: Oid) -> Result<Option<CommitInfo>> {
        match self.inner.find_object(id.0, None) {
            Ok(o) if o.kind() == Some(git2::ObjectType::Commit) => self.commit(id).map(Some),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read object {id}: {}", e.message())),
        }
    }

    /// The best common ancestor of two commits, if they have one.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Result<Option<Oid>> {
        match self.inner.merge_base(a.0, b.0) {
            Ok(id) => Ok(Some(Oid(id))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not find the merge base of {a} and {b}: {}", e.message())),
        }
    }

    /// The commit a revision names (`main~3`, a tag, an id), as git reads it; None when it
    /// names nothing or not a commit.
    pub fn resolve_commit(&self, rev: &str) -> Result<Option<Oid>> {
        match self.inner.revparse_single(rev) {
            Ok(o) => Ok(o.peel_to_commit().ok().map(|c| Oid(c.id()))),
            Err(_) => Ok(None),
        }
    }

    /// Is `ancestor` reachable from `descendant` (or the same commit)?
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        // A parent (the common case: the trunk moved by one commit) needs no walk.
        if self.inner.find_commit(descendant.0).is_ok_and(|c| c.parent_ids().any(|p| p == ancestor.0)) {
            return Ok(true);
        }
        self.inner
            .graph_descendant_of(descendant.0, ancestor.0)
            .with_context(|| format!("could not compare the histories of {ancestor} and {descendant}"))
    }

    /// The commits reachable from `push` but from none of `hide`, newest first.
    pub fn walk(&self, push: Oid, hide: &[Oid]) -> Result<impl Iterator<Item = Result<Oid>> + '_> {
        let mut walk = self.inner.revwalk().context("could not start walking the history")?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME).context("could not sort the history")?;
        walk.push(push.0).with_context(|| format!("could not walk from {push}"))?;
        for h in hide {
            walk.hide(h.0).with_context(|| format!("could not leave out the history of {h}"))?;
        }
        Ok(walk.map(|r| r.map(Oid).context("could not read the history")))
    }

    /// The tree id of a commit.
    pub fn commit_tree(&self, commit: Oid) -> Result<Oid> {
        let c = self.inner.find_commit(commit.0).with_context(|| format!("could not read commit {commit}"))?;
        Ok(Oid(c.tree_id()))
    }

    /// The tree and parent commits a new commit is made of.
    fn commit_inputs(&self, tree: Oid, parents: &[Oid]) -> Result<(git2::Tree<'_>, Vec<git2::Commit<'_>>)> {
        let tree = self.inner.find_tree(tree.0).with_context(|| format!("could not read tree {tree}"))?;
        let parents = parents
            .iter()
            .map(|p| self.inner.find_commit(p.0).with_context(|| format!("could not read commit {p}")))
            .collect::<Result<Vec<_>>>()?;
        Ok((tree, parents))
    }

    /// Writes a commit object (no ref moves), signed by `sign` when given: it turns the
    /// commit's bytes into an armored signature (an SSHSIG PEM block), stored in the
    /// `gpgsig` header as git stores SSH signatures.
    pub fn write_commit(
        &self,
        tree: Oid,
        parents: &[Oid],
        author: &Identity,
        committer: &Identity,
        message: &str,
        sign: Option<tag::Sign<'_>>,
    ) -> Result<Oid> {
        let (tree, parents) = self.commit_inputs(tree, parents)?;
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let (a, c) = (author.to_git()?, committer.to_git()?);
        let Some(sign) = sign else {
            let id =
                self.inner.commit(None, &a, &c, message, &tree, &parent_refs).context("could not write a commit")?;
            return Ok(Oid(id));
        };
        let buffer = self
            .inner
            .commit_create_buffer(&a, &c, message, &tree, &parent_refs)
            .context("could not prepare a commit")?;
        let content = buffer.as_str().ok_or_else(|| anyhow::anyhow!("the commit is not UTF-8"))?.to_string();
        let signature = sign(content.as_bytes())?;
        let id = self
            .inner
            .commit_signed(&content, signature.trim_end(), Some("gpgsig"))
            .context("could not write a signed commit")?;
        Ok(Oid(id))
    }

    pub(crate) fn raw(&self) -> &git2::Repository {
        &self.inner
    }
}

#[cfg(test)]
mod tests;
