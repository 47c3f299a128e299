//! Writing the site without ever leaving anything half-written in OUT: a full build is
//! written into a directory beside OUT and swapped into place; an incremental one stages
//! every changed page and the new manifest inside OUT, makes them durable, writes a
//! journal (its commit point), then renames each into place, the manifest last (the
//! journal's protocol is in `journal`).

use crate::error::fail;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The manifest's file name in OUT: what marks a directory as a tribune site.
pub const MANIFEST: &str = ".tribune-site.json";
/// The staging directory of an incremental build, inside OUT: the pages in `files`, the
/// new manifest, and once all of it is there the journal, the build's commit point.
pub(super) const STAGING: &str = ".tribune-site-staging";
pub(super) const STAGED_FILES: &str = "files";
pub(super) const STAGED_MANIFEST: &str = "manifest.json";
pub(super) const JOURNAL: &str = "journal.json";
/// The manifest's format.
pub const FORMAT: u32 = 1;

/// What a build read and wrote: the next build compares itself with it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub tribune_site: u32,
    /// A digest of what every page depends on: the base URL, the templates, the roster,
    /// tribune.toml, the shared filters and tribune's version. When it changes, every page
    /// is built again.
    pub global: String,
    pub trunk: String,
    pub trunk_tree: String,
    /// Each edition's ref: its tip and the slugs of its own texts.
    pub editions: BTreeMap<String, (String, Vec<String>)>,
    /// Each rater's notes ref and its tip.
    pub raters: BTreeMap<String, String>,
    /// Each file of the site: its path and a digest of its bytes (an attachment: its blob).
    pub pages: BTreeMap<String, String>,
    /// Each list page (front pages, feeds, contingents, statements, sitemap): a digest of
    /// the data it was rendered from. The same data (and the same global digest) renders
    /// the same bytes, so such a page is not rendered again.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// What the statements' pages were made from (see `statements::state`).
    #[serde(default)]
    pub statements: String,
}

/// What OUT is now.
pub enum Existing {
    /// Not there, or an empty directory.
    Nothing,
    /// A tribune site, with its manifest (None when the manifest does not parse).
    Site(Option<Manifest>),
}

/// Reads OUT, refusing anything that is not a tribune site or empty.
pub fn existing(out: &Path) -> Result<Existing> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(fail(format!("cannot read {}: {e}", out.display()), "check the path and permissions")),
    };
    if !meta.is_dir() {
        return Err(fail(
            format!("{} exists and is not a directory: nothing was written", out.display()),
            "give the directory the site should be written to (a new one, or one an earlier build wrote)",
        ));
    }
    let manifest = out.join(MANIFEST);
    if manifest.exists() {
        let parsed = std::fs::read(&manifest).ok().and_then(|b| serde_json::from_slice::<Manifest>(&b).ok());
        // A manifest is only believed when every path it names is one a build writes: a
        // path out of OUT (`..`, absolute) would have a rebuild remove or replace files
        // anywhere. Without it the site is built whole.
        if let Some(bad) = parsed.as_ref().and_then(|m| m.pages.keys().chain(m.inputs.keys()).find(|p| !safe_rel(p))) {
            return Err(fail(
                format!("{} names {bad:?}, which is no file of a site: nothing was written", manifest.display()),
                "the manifest was changed by hand or by someone else; remove it (the next build is then whole) after checking the directory",
            ));
        }
        return Ok(Existing::Site(parsed.filter(|m| m.tribune_site == FORMAT)));
    }
    let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
    if empty {
        return Ok(Existing::Nothing);
    }
    Err(fail(
        format!("{} is not a tribune site (it has no {MANIFEST}) and is not empty: nothing was written", out.display()),
        "give a new or empty directory; a site is rebuilt only where an earlier `tribune site build` wrote it",
    ))
}

/// Is `rel` a path a build writes under OUT: relative, of plain names (no `..`, `.`, empty
/// part, backslash or control character)?
pub fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && !rel.contains(|c: char| c == '\\' || c.is_control())
}

/// Refuses to write at `rel` under OUT when a directory on the way there is a symbolic link
/// (it could lead out of OUT) or anything other than a directory.
pub(super) fn no_link_on_the_way(out: &Path, rel: &str) -> Result<()> {
    let mut at = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
                return Err(fail(
                    format!(
                        "{} is not a directory tribune made (a symbolic link or a file): nothing more was written",
                        at.display()
                    ),
                    "remove it from the site's directory, or build with --full",
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The files under OUT that its manifest does not list (nor are the manifest or a staging
/// directory): what a user keeps beside the site (`.git`, `CNAME`), which a full build's
/// swap would lose.
pub fn foreign_files(out: &Path, manifest: &Manifest) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, manifest: &Manifest, found: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            if rel.is_empty() && (name == MANIFEST || name.starts_with(".tribune-site-staging")) {
                continue;
            }
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir && manifest.pages.keys().any(|p| p.starts_with(&format!("{path}/"))) {
                walk(&e.path(), &path, manifest, found);
            } else if !manifest.pages.contains_key(&path) {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(out, "", manifest, &mut found);
    found.sort();
    found
}

/// A place to write files before they go into OUT.
pub struct Staging {
    pub dir: PathBuf,
}

impl Staging {
    /// Writes `bytes` at `rel` under the staging directory.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("could not make {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))
    }
}

/// A build's staging directory, removed when dropped unless its content was put in place.
pub struct Staged {
    pub(super) root: PathBuf,
    /// Where the site's files are staged: the root (beside OUT), or `files` in it (inside).
    pub(super) files: PathBuf,
    pub(super) armed: bool,
}

impl Staged {
    /// Where the pages are written.
    pub fn stage(&self) -> Staging {
        Staging { dir: self.files.clone() }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// A staging directory beside OUT (`.OUT.tribune-build-XXXXXX`), for a full build; the
/// next build removes it if this one is killed (see `target`).
pub fn beside(out: &Path) -> Result<Staged> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    let dir = tempfile::Builder::new()
        .prefix(&format!(".{name}{}", super::target::BESIDE))
        .tempdir_in(&parent)
        .map_err(|e| fail(format!("cannot write in {}: {e}", parent.display()), "check the permissions"))?
        .keep();
    Ok(Staged { root: dir.clone(), files: dir, armed: true })
}

/// The staging directory inside OUT, for an incremental build (one at a time: the build
/// holds OUT's lock).
pub fn inside(out: &Path) -> Result<Staged> {
    let root = out.join(STAGING);
    let files = root.join(STAGED_FILES);
    let made = std::fs::create_dir(&root).and_then(|()| std::fs::create_dir(&files));
    made.map_err(|e| fail(format!("cannot write in {}: {e}", out.display()), "check the permissions"))?;
    Ok(Staged { root, files, armed: true })
}

/// Puts a fully built site (its manifest written into it here) in place of OUT: one atomic
/// exchange where the system has it (Linux renameat2), else OUT moved aside and the new one
/// renamed in.
pub fn swap_in(mut staged: Staged, out: &Path, manifest: &Manifest) -> Result<()> {
    write_json(&staged.files, MANIFEST, manifest, false)?;
    // A temporary directory is private to its owner; a site is for a web server to read.
    readable(&staged.root);
    kill_point("beside");
    staged.armed = false;
    let built = staged.root.clone();
    if !out.exists() {
        return std::fs::rename(&built, out).with_context(|| format!("could not move the site to {}", out.display()));
    }
    if exchange(&built, out) {
        // `built` now holds the old site.
        return std::fs::remove_dir_all(&built).with_context(|| format!("could not remove {}", built.display()));
    }
    let mut old = built.clone().into_os_string();
    old.push(".old");
    std::fs::rename(out, &old).with_context(|| format!("could not move {} aside", out.display()))?;
    std::fs::rename(&built, out).with_context(|| format!("could not move the site to {}", out.display()))?;
    std::fs::remove_dir_all(&old).with_context(|| format!("could not remove {}", PathBuf::from(&old).display()))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: two valid NUL-terminated paths; renameat2 reads them and nothing else.
    unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Makes `files` durable, then the directories they are in: what was written, and the
/// names it was written (or renamed) under. One fsync per file and directory, so the cost
/// is that of what the build wrote, whatever else the file system is busy with.
pub(super) fn sync_all(files: impl Iterator<Item = PathBuf>) -> Result<()> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for f in files {
        // Only files are staged; anything else (gone, a directory) is left to its directory.
        if f.is_file() {
            std::fs::File::open(&f)
                .and_then(|h| h.sync_all())
                .with_context(|| format!("could not sync {}", f.display()))?;
        }
        dirs.extend(f.parent().map(Path::to_path_buf));
    }
    for d in dirs {
        // Not every system can sync a directory (Windows): the files are what count most.
        let _ = std::fs::File::open(&d).and_then(|h| h.sync_all());
    }
    Ok(())
}

/// Syncs OUT and the directories of `paths` under it (their names, after renames and removals).
pub(super) fn sync_dirs<'a>(out: &Path, paths: impl Iterator<Item = &'a String>) {
    let mut dirs: BTreeSet<PathBuf> = paths.filter_map(|p| out.join(p).parent().map(Path::to_path_buf)).collect();
    dirs.insert(out.to_path_buf());
    for d in dirs {
        let _ = std::fs::File::open(&d).and_then(|h| h.sync_all());
    }
}

/// Test hook, the moments a kill leaves something to recover: `TRIBUNE_TEST_SITE_KILL`
/// naming one of them (`staged`, `journaled`, `applying`, `beside`) stops the build there
/// as SIGKILL would, nothing cleaned up. The crash-safety tests use it.
pub(super) fn kill_point(at: &str) {
    if std::env::var_os("TRIBUNE_TEST_SITE_KILL").is_some_and(|v| v == at) {
        std::process::abort();
    }
}

#[cfg(unix)]
fn readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn readable(_: &Path) {}

/// Writes `value` as JSON at `dir/name` atomically (a temporary file renamed over it),
/// readable by all; with `durable`, on disk (the file and its directory) before it returns.
pub(super) fn write_json(dir: &Path, name: &str, value: &impl Serialize, durable: bool) -> Result<()> {
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("could not write in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        serde_json::to_writer(&mut w, value)?;
        std::io::Write::flush(&mut w)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    if durable {
        tmp.as_file().sync_all().with_context(|| format!("could not write {}", dir.join(name).display()))?;
    }
    tmp.persist(dir.join(name))
        .map_err(|e| e.error)
        .with_context(|| format!("could not write {}", dir.join(name).display()))?;
    if durable {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}
