//! Writing the site without ever leaving anything half-written in OUT: a full build is
//! written into a directory beside OUT and swapped into place; an incremental one renders
//! every changed page into a staging directory inside OUT, then renames each into place
//! and writes the manifest last.

use crate::error::fail;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest's file name in OUT: what marks a directory as a tribune site.
pub const MANIFEST: &str = ".tribune-site.json";
/// The staging directory of an incremental build, inside OUT.
const STAGING: &str = ".tribune-site-staging";
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
fn no_link_on_the_way(out: &Path, rel: &str) -> Result<()> {
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

/// A staging directory beside OUT, for a full build (removed if the build fails).
pub fn beside(out: &Path) -> Result<tempfile::TempDir> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("cannot make {}: {e}", parent.display()), "check the path and permissions"))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.tribune-build-"))
        .tempdir_in(&parent)
        .map_err(|e| fail(format!("cannot write in {}: {e}", parent.display()), "check the permissions"))
}

/// A staging directory inside OUT, for an incremental build.
pub fn inside(out: &Path) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(STAGING)
        .tempdir_in(out)
        .map_err(|e| fail(format!("cannot write in {}: {e}", out.display()), "check the permissions"))
}

/// Puts a fully built site in place of OUT: one atomic exchange where the system has it
/// (Linux renameat2), else OUT moved aside and the new one renamed in.
pub fn swap_in(built: tempfile::TempDir, out: &Path) -> Result<()> {
    // A temporary directory is private to its owner; a site is for a web server to read.
    readable(built.path());
    let built = built.keep();
    if !out.exists() {
        return std::fs::rename(&built, out).with_context(|| format!("could not move the site to {}", out.display()));
    }
    if exchange(&built, out) {
        // `built` now holds the old site.
        return std::fs::remove_dir_all(&built).with_context(|| format!("could not remove {}", built.display()));
    }
    let old = built.with_extension("old");
    std::fs::rename(out, &old).with_context(|| format!("could not move {} aside", out.display()))?;
    std::fs::rename(&built, out).with_context(|| format!("could not move the site to {}", out.display()))?;
    std::fs::remove_dir_all(&old).with_context(|| format!("could not remove {}", old.display()))
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

/// Moves each staged file into OUT (each rename atomic), removes the pages that are gone,
/// then writes the manifest, last.
pub fn commit_into(
    staged: tempfile::TempDir,
    out: &Path,
    files: &[String],
    removed: &[String],
    manifest: &Manifest,
) -> Result<()> {
    for rel in files.iter().chain(removed) {
        no_link_on_the_way(out, rel)?;
    }
    for rel in files {
        let to = out.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("could not make {}", parent.display()))?;
        }
        std::fs::rename(staged.path().join(rel), &to).with_context(|| format!("could not write {}", to.display()))?;
    }
    for rel in removed {
        let path = out.join(rel);
        let _ = std::fs::remove_file(&path);
        // Directories left empty go too (an article's, its files').
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    write_manifest(out, manifest)?;
    drop(staged);
    Ok(())
}

#[cfg(unix)]
fn readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn readable(_: &Path) {}

/// Writes the manifest atomically (a temporary file renamed over it).
pub fn write_manifest(out: &Path, manifest: &Manifest) -> Result<()> {
    let mut tmp =
        tempfile::NamedTempFile::new_in(out).with_context(|| format!("could not write in {}", out.display()))?;
    serde_json::to_writer(std::io::BufWriter::new(tmp.as_file_mut()), manifest)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(out.join(MANIFEST)).map_err(|e| e.error).context("could not write the manifest")?;
    Ok(())
}
