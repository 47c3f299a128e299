//! The storage boundary: the only module that names `git2`.
//!
//! Everything above this module speaks in paths, blob contents and ref names; every
//! libgit2 error is turned into a message that says what was being done. "Not found" is an
//! `Option`, never an error (the git-branchless convention).

mod date;
mod identity;
mod notes;
mod refs;
pub mod remote;
mod sign;
mod tag;
mod tree;
mod worktree;

pub use date::approxidate;
pub use identity::{commit_time, parse_git_date, Identity, Timestamp};
pub use notes::union_lines;
pub use refs::{backoff, RefUpdate};
pub use tag::TagInfo;
pub use tree::{Edit, TreeMerge};

use anyhow::{anyhow, Context, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A git object id (SHA-1), printed as 40 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(git2::Oid);

impl Oid {
    /// The all-zero id, which git uses to say "no object".
    pub fn zero() -> Oid {
        Oid(git2::Oid::zero())
    }
    /// The first `n` hex digits.
    pub fn short(&self, n: usize) -> String {
        let s = self.0.to_string();
        s[..n.min(s.len())].to_string()
    }
    /// The id git gives a blob with these contents, without writing it anywhere.
    pub fn hash_blob(data: &[u8]) -> Result<Oid> {
        Ok(Oid(git2::Oid::hash_object(git2::ObjectType::Blob, data)?))
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({})", self.0)
    }
}
impl FromStr for Oid {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Oid> {
        if s.len() != 40 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(anyhow!("{s:?} is not a full 40-digit object id"));
        }
        Ok(Oid(git2::Oid::from_str(s)?))
    }
}

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

/// A commit, as the domain needs it.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub author: Identity,
    pub committer: Identity,
    pub message: String,
}

impl CommitInfo {
    /// The value of the last `Key: value` trailer with this key, if any.
    pub fn trailer(&self, key: &str) -> Option<&str> {
        trailers(&self.message).into_iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
    }
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// The `Key: value` lines of a message's last paragraph (LF or CRLF line ends), as
/// tribune-format(5) defines trailers: every line of that paragraph, or none.
///
/// Not libgit2's parser (`git2::message_trailers_strs`, git's `interpret-trailers` rules),
/// on purpose; `libgit2_reads_trailers_differently` in the tests pins each difference:
/// - it ends the message at the first line that is `---` (a patch divider), so a ballot
///   whose comment holds a Markdown rule would lose its trailers and stop counting;
/// - it keeps the `\r` of CRLF lines in the values (a `Tribune-Proposal` id then fails to
///   parse);
/// - it reads a paragraph that mixes prose and trailers as trailers when one line is
///   `Signed-off-by`, and a line such as `https://…` as a trailer `https`.
///
/// On the messages tribune writes (`commons::message`; ballots have the same shape) both agree.
pub fn trailers(message: &str) -> Vec<(&str, &str)> {
    let lines: Vec<&str> = message.lines().collect();
    let Some(end) = lines.iter().rposition(|l| !l.trim().is_empty()).map(|i| i + 1) else {
        return Vec::new();
    };
    let Some(start) = lines[..end].iter().rposition(|l| l.trim().is_empty()).map(|i| i + 1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in &lines[start..end] {
        match line.split_once(": ") {
            Some((k, v)) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                out.push((k, v.trim()))
            }
            _ => return Vec::new(),
        }
    }
    out
}

/// An open repository.
pub struct Repo {
    inner: git2::Repository,
}

/// Does this directory hold (or sit inside) a git repository?
pub enum Discovery {
    Found(Repo),
    NotFound,
}

impl Repo {
    /// Finds the repository at or above `dir`, as git does.
    pub fn discover(dir: &Path) -> Result<Discovery> {
        match git2::Repository::discover(dir) {
            Ok(inner) => Ok(Discovery::Found(Repo { inner })),
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
            Ok(inner) => Ok(Some(Repo { inner })),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not open the git repository at {}: {}", dir.display(), e.message())),
        }
    }

    /// Creates a new bare repository whose HEAD names `trunk`.
    pub fn init_bare(dir: &Path, trunk: &str) -> Result<Repo> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.bare(true).mkpath(true).initial_head(&format!("refs/heads/{trunk}"));
        let inner = git2::Repository::init_opts(dir, &opts)
            .with_context(|| format!("could not create a git repository at {}", dir.display()))?;
        Ok(Repo { inner })
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
            if let (Some(name), Ok(resolved)) = (r.name(), r.resolve()) {
                if let Some(id) = resolved.target() {
                    out.push((name.to_string(), Oid(id)));
                }
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
        let blob = self.inner.find_blob(id.0).with_context(|| format!("could not read blob {id}"))?;
        Ok(blob.content().to_vec())
    }

    /// Reads many blobs and maps each with `f`, in order, spread over the cores when
    /// there are many (see [`Repo::par_map`]).
    pub fn map_blobs<T: Send>(&self, ids: &[Oid], f: impl Fn(Oid, &[u8]) -> T + Sync) -> Result<Vec<T>> {
        self.par_map(ids, 2_000, |repo, id| repo.read_blob_ref(*id, |b| f(*id, b)))
    }

    /// Maps `items` with `f` in order; from `min` items on, the work is spread over the
    /// machine's cores, each thread with its own handle on the repository (a libgit2
    /// repository must not be shared between threads).
    pub fn par_map<I: Sync, T: Send>(
        &self,
        items: &[I],
        min: usize,
        f: impl Fn(&Repo, &I) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
        if items.len() < min || threads < 2 {
            return items.iter().map(|i| f(self, i)).collect();
        }
        let chunk = items.len().div_ceil(threads);
        let path = self.git_dir().to_path_buf();
        let f = &f;
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .map(|part| {
                    let path = path.clone();
                    scope.spawn(move || -> Result<Vec<T>> {
                        let repo = Repo {
                            inner: git2::Repository::open_bare(&path).or_else(|_| git2::Repository::open(&path))?,
                        };
                        part.iter().map(|i| f(&repo, i)).collect()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(items.len());
            for h in handles {
                out.extend(h.join().map_err(|_| anyhow!("a worker thread failed"))??);
            }
            Ok(out)
        })
    }

    fn read_blob_ref<R>(&self, id: Oid, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        let blob = self.inner.find_blob(id.0).with_context(|| format!("could not read blob {id}"))?;
        Ok(f(blob.content()))
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

    /// Is `ancestor` reachable from `descendant` (or the same commit)?
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> Result<bool> {
        if ancestor == descendant {
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

    /// The entry at `path` (slash-separated) under `tree`, if any.
    pub fn entry_at(&self, tree: Oid, path: &str) -> Result<Option<TreeEntry>> {
        let t = self.inner.find_tree(tree.0).with_context(|| format!("could not read tree {tree}"))?;
        match t.get_path(Path::new(path)) {
            Ok(e) => Ok(Some(TreeEntry {
                name: String::from_utf8_lossy(e.name_bytes()).into_owned(),
                id: Oid(e.id()),
                is_tree: e.kind() == Some(git2::ObjectType::Tree),
            })),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not look up {path} in tree {tree}: {}", e.message())),
        }
    }

    /// The id of the entry named `name` directly in `tree`.
    pub fn child(&self, tree: Oid, name: &str) -> Result<Option<Oid>> {
        let t = self.inner.find_tree(tree.0).with_context(|| format!("could not read tree {tree}"))?;
        Ok(t.get_name(name).map(|e| Oid(e.id())))
    }

    /// The contents of the blob at `path` under `tree`, if it is there.
    pub fn blob_at(&self, tree: Oid, path: &str) -> Result<Option<(Oid, Vec<u8>)>> {
        match self.entry_at(tree, path)? {
            Some(e) if !e.is_tree => Ok(Some((e.id, self.read_blob(e.id)?))),
            _ => Ok(None),
        }
    }

    /// The entries of the tree at `path` under `tree` (empty when there is none).
    pub fn list_dir(&self, tree: Oid, path: &str) -> Result<Vec<TreeEntry>> {
        let dir = if path.is_empty() {
            tree
        } else {
            match self.entry_at(tree, path)? {
                Some(e) if e.is_tree => e.id,
                _ => return Ok(Vec::new()),
            }
        };
        let t = self.inner.find_tree(dir.0).with_context(|| format!("could not read tree {dir}"))?;
        Ok(t.iter()
            .map(|e| TreeEntry {
                name: String::from_utf8_lossy(e.name_bytes()).into_owned(),
                id: Oid(e.id()),
                is_tree: e.kind() == Some(git2::ObjectType::Tree),
            })
            .collect())
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

    /// Writes a commit object (no ref moves).
    pub fn write_commit(
        &self,
        tree: Oid,
        parents: &[Oid],
        author: &Identity,
        committer: &Identity,
        message: &str,
    ) -> Result<Oid> {
        let (tree, parents) = self.commit_inputs(tree, parents)?;
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let a = author.to_git()?;
        let c = committer.to_git()?;
        let id = self.inner.commit(None, &a, &c, message, &tree, &parent_refs).context("could not write a commit")?;
        Ok(Oid(id))
    }

    /// Blob paths that differ between two trees under `prefix` (a directory; "" for all).
    ///
    /// Identical subtrees are skipped without being read, so the cost follows the number
    /// of changes, not the size of the trees. (libgit2's tree-to-tree diff expands every
    /// subtree of both sides: on 100,000 articles it read everything to find one change.)
    pub fn changed_paths(&self, old: Option<Oid>, new: Oid, prefix: &str) -> Result<Vec<PathChange>> {
        let sub = |tree: Oid| -> Result<Option<Oid>> {
            if prefix.is_empty() {
                return Ok(Some(tree));
            }
            Ok(self.entry_at(tree, prefix)?.filter(|e| e.is_tree).map(|e| e.id))
        };
        let old_sub = match old {
            Some(t) => sub(t)?,
            None => None,
        };
        let new_sub = sub(new)?;
        let mut out = Vec::new();
        let base = if prefix.is_empty() { String::new() } else { format!("{}/", prefix.trim_end_matches('/')) };
        self.diff_trees(old_sub, new_sub, &base, &mut out)?;
        Ok(out)
    }

    fn tree_entries(&self, tree: Option<Oid>) -> Result<std::collections::BTreeMap<String, (Oid, bool)>> {
        let mut map = std::collections::BTreeMap::new();
        if let Some(t) = tree {
            let t = self.inner.find_tree(t.0).with_context(|| format!("could not read tree {t}"))?;
            for e in t.iter() {
                let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
                map.insert(name, (Oid(e.id()), e.kind() == Some(git2::ObjectType::Tree)));
            }
        }
        Ok(map)
    }

    fn diff_trees(&self, old: Option<Oid>, new: Option<Oid>, base: &str, out: &mut Vec<PathChange>) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let a = self.tree_entries(old)?;
        let b = self.tree_entries(new)?;
        let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for name in names {
            let (ea, eb) = (a.get(name).copied(), b.get(name).copied());
            if ea == eb {
                continue;
            }
            let path = format!("{base}{name}");
            let blob = |e: Option<(Oid, bool)>| e.filter(|(_, t)| !t).map(|(id, _)| id);
            let tree = |e: Option<(Oid, bool)>| e.filter(|(_, t)| *t).map(|(id, _)| id);
            let (ba, bb) = (blob(ea), blob(eb));
            if ba != bb {
                out.push(PathChange { path: path.clone(), old: ba, new: bb });
            }
            let (ta, tb) = (tree(ea), tree(eb));
            if ta != tb {
                self.diff_trees(ta, tb, &format!("{path}/"), out)?;
            }
        }
        Ok(())
    }

    /// Process-wide libgit2 settings, made once before any repository is opened.
    ///
    /// libgit2 ignores `GIT_CONFIG_GLOBAL` and `GIT_CONFIG_NOSYSTEM`, which git honours;
    /// tribune honours them too, so a pinned environment really is isolated.
    pub fn configure_process() {
        // SAFETY: called once at start-up, before any repository is opened.
        unsafe {
            if std::env::var_os("GIT_CONFIG_NOSYSTEM").is_some_and(|v| v != "0" && !v.is_empty()) {
                let _ = git2::opts::set_search_path(git2::ConfigLevel::System, "");
                let _ = git2::opts::set_search_path(git2::ConfigLevel::ProgramData, "");
            }
            if std::env::var_os("GIT_CONFIG_GLOBAL").is_some() {
                // The file itself is read by `config_string`; libgit2 can only search directories.
                let _ = git2::opts::set_search_path(git2::ConfigLevel::Global, "");
                let _ = git2::opts::set_search_path(git2::ConfigLevel::XDG, "");
            }
        }
        Self::tune_cache();
    }

    /// Turns libgit2's object cache off: for bulk writers, which read back little and whose
    /// writes would make the cache churn (eviction dominated the synthetic generator).
    pub fn disable_object_cache() {
        git2::opts::enable_caching(false);
    }

    /// Raises libgit2's object cache limits so that large trees (over 4 KiB) are cached;
    /// without this a shard tree is re-inflated on every lookup.
    fn tune_cache() {
        // Re-hashing every object read costs a third of a cold index build; git itself
        // does not verify on read either (fsck does).
        git2::opts::strict_hash_verification(false);
        // SAFETY: called before any repository is opened by this process's commands;
        // these are process-wide settings with no aliasing concerns.
        unsafe {
            let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 1 << 20);
            let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Commit, 1 << 16);
        }
    }

    pub(crate) fn raw(&self) -> &git2::Repository {
        &self.inner
    }
}

impl Repo {
    /// Runs `f` with every object write collected in memory, then writes them all as one
    /// packfile with its index: used to build large synthetic repositories quickly (loose
    /// objects would be hundreds of thousands of files). The in-memory store stays
    /// attached afterwards, so a process should call this once, last of its writes.
    pub fn write_packed<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let odb = self.inner.odb().context("could not open the object database")?;
        // The in-memory backend must outrank the loose one so that writes land in it.
        let mempack = odb.add_new_mempack_backend(1000).context("could not add an in-memory object store")?;
        let value = f()?;
        let mut buf = git2::Buf::new();
        mempack.dump(&self.inner, &mut buf).context("could not assemble a packfile")?;
        let mut writer = odb.packwriter().context("could not start writing a packfile")?;
        use std::io::Write;
        writer.write_all(&buf).context("could not write the packfile")?;
        writer.commit().context("could not index the packfile")?;
        mempack.reset().context("could not clear the in-memory object store")?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// libgit2's own tree diff, as the reference for `changed_paths`.
    fn reference(repo: &Repo, old: Option<Oid>, new: Oid) -> Vec<(String, Option<Oid>, Option<Oid>)> {
        let old = old.map(|o| repo.inner.find_tree(o.0).unwrap());
        let new = repo.inner.find_tree(new.0).unwrap();
        let diff = repo.inner.diff_tree_to_tree(old.as_ref(), Some(&new), None).unwrap();
        let nz = |id: git2::Oid| if id.is_zero() { None } else { Some(Oid(id)) };
        let mut out: Vec<_> = diff
            .deltas()
            .map(|d| {
                let path = d.new_file().path().or_else(|| d.old_file().path()).unwrap().to_string_lossy().into_owned();
                (path, nz(d.old_file().id()), nz(d.new_file().id()))
            })
            .collect();
        out.sort();
        out
    }

    /// Every message here is read alike by both parsers or differs as `trailers` documents.
    #[test]
    fn libgit2_reads_trailers_differently() {
        let ours = |m: &str| -> Vec<(String, String)> {
            trailers(m).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let libgit2 = |m: &str| -> Vec<(String, String)> {
            let read = git2::message_trailers_strs(m).unwrap();
            read.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        type Pairs<'a> = &'a [(&'a str, &'a str)];
        let ballot = [("Tribune-Statement", "rent"), ("Tribune-Seq", "2")];
        // (message, what tribune reads, what libgit2 reads)
        let cases: &[(&str, Pairs, Pairs)] = &[
            // A trailer block after a body: both.
            (
                "yes\n\nAgreed, with a note.\nSecond line.\n\nTribune-Statement: rent\nTribune-Seq: 2\n",
                &ballot,
                &ballot,
            ),
            // `Key: value` lines inside the body, prose last: neither.
            ("rewrite: x\n\nNote: the body says this.\nSee: also that.\n\nAnd prose ends it.\n", &[], &[]),
            // A last paragraph mixing prose and a trailer: neither, ...
            ("rewrite: x\n\nTribune-Action: rewrite\nbecause the report was wrong\n", &[], &[]),
            // ... unless a line is Signed-off-by: then libgit2 takes the trailers in it.
            (
                "rewrite: x\n\nTribune-Action: rewrite\nbecause the report was wrong\nSigned-off-by: A <a@x>\n",
                &[],
                &[("Tribune-Action", "rewrite"), ("Signed-off-by", "A <a@x>")],
            ),
            // Only a subject: the first paragraph is never trailers.
            ("Tribune-Action: rewrite\n", &[], &[]),
            // A continuation line: not a `Key: value` line for tribune; libgit2 keeps the fold.
            (
                "rewrite: x\n\nTribune-Action: rewrite\nTribune-Summary: a long\n  summary\n",
                &[],
                &[("Tribune-Action", "rewrite"), ("Tribune-Summary", "a long\n  summary")],
            ),
            // CRLF: libgit2 keeps the carriage returns in the values.
            (
                "yes\r\n\r\nTribune-Statement: rent\r\nTribune-Seq: 2\r\n",
                &ballot,
                &[("Tribune-Statement", "rent\r"), ("Tribune-Seq", "2\r")],
            ),
            // A ballot comment with a Markdown rule: libgit2 stops at the `---` line.
            ("yes\n\nAgreed.\n---\nOne reservation.\n\nTribune-Statement: rent\nTribune-Seq: 2\n", &ballot, &[]),
            // A link alone in the last paragraph: a trailer `https` for libgit2.
            ("rewrite: x\n\nhttps://example.org/report\n", &[], &[("https", "//example.org/report")]),
            // No space after the colon: git's syntax, not tribune's.
            ("rewrite: x\n\nTribune-Action:rewrite\n", &[], &[("Tribune-Action", "rewrite")]),
        ];
        for (message, mine, theirs) in cases {
            assert_eq!(ours(message), pairs(mine), "tribune on {message:?}");
            assert_eq!(libgit2(message), pairs(theirs), "libgit2 on {message:?}");
        }
        // What tribune writes, both read alike.
        let written = crate::commons::message("rewrite: x", &[("Action", "rewrite"), ("Article", "x")]);
        assert_eq!(ours(&written), libgit2(&written));
    }

    proptest! {
        /// A commit or tag message from anywhere: trailers or none, never a panic.
        #[test]
        fn any_message_is_read_without_a_panic(message in "(?s).{0,300}") {
            for (k, v) in trailers(&message) {
                prop_assert!(!k.is_empty() && !k.contains('\n') && !v.contains('\n'));
            }
        }

        /// What tribune writes as trailers (`commons::message`) reads back, CRLF or not.
        #[test]
        fn trailers_round_trip(
            subject in "[^\n\r]{0,40}",
            pairs in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,12}", "[^\n\r]{0,30}"), 1..5),
            crlf: bool,
        ) {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut message = crate::commons::message(&subject, &refs);
            if crlf {
                message = message.replace('\n', "\r\n");
            }
            let expected: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| (format!("Tribune-{k}"), v.trim().to_string())).collect();
            let read: Vec<(String, String)> =
                trailers(&message).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            prop_assert_eq!(read, expected);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn changed_paths_agrees_with_libgit2s_diff(
            first in prop::collection::btree_map("[ab]/[ab]/[abc]", "[xyz]{1,3}", 0..12),
            second in prop::collection::btree_map("[ab]/[ab]/[abc]", "[xyz]{1,3}", 0..12),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repo::init_bare(dir.path(), "main").unwrap();
            let tree_of = |files: &std::collections::BTreeMap<String, String>| {
                let edits: Vec<Edit> = files
                    .iter()
                    .map(|(p, c)| Edit::Put { path: p.clone(), blob: repo.write_blob(c.as_bytes()).unwrap() })
                    .collect();
                repo.edit_tree(None, &edits).unwrap()
            };
            let (a, b) = (tree_of(&first), tree_of(&second));
            let mut mine: Vec<_> = repo.changed_paths(Some(a), b, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
            mine.sort();
            prop_assert_eq!(mine, reference(&repo, Some(a), b));
            let mut from_nothing: Vec<_> = repo.changed_paths(None, b, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
            from_nothing.sort();
            prop_assert_eq!(from_nothing, reference(&repo, None, b));
        }
    }
}
