//! An incremental build's commit protocol: everything staged inside OUT and made durable,
//! then a journal (the commit point), then applied; a build killed after its journal is
//! finished by the next ([`recover`]), one killed before it is dropped. The journal is
//! followed only when a build of this site could have written it, and applied relative to
//! directories opened without following links (see `at`).

use super::output::{
    kill_point, no_link_on_the_way, safe_rel, sync_all, sync_dirs, write_json, Manifest, Staged, FORMAT, JOURNAL,
    MANIFEST, STAGED_FILES, STAGED_MANIFEST, STAGING,
};
use crate::error::fail;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What an incremental build does to OUT once everything is staged: written down (durably)
/// before any of it is done, so that a build killed half way is finished by the next.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    tribune_site_journal: u32,
    /// Files to move from the staging directory into OUT.
    write: Vec<String>,
    /// Files to remove from OUT.
    remove: Vec<String>,
}

/// Puts an incremental build in place: the new manifest staged beside the pages, all of it
/// made durable, then the journal (the commit point), then each staged file renamed into
/// OUT (each rename atomic), the pages that are gone removed, the manifest last.
pub fn commit_into(
    mut staged: Staged,
    out: &Path,
    files: &[String],
    removed: &[String],
    manifest: &Manifest,
) -> Result<()> {
    for rel in files.iter().chain(removed) {
        no_link_on_the_way(out, rel)?;
    }
    write_json(&staged.root, STAGED_MANIFEST, manifest, false)?;
    // What the journal names must be on disk before the journal is.
    sync_all(files.iter().map(|f| staged.files.join(f)).chain([staged.root.join(STAGED_MANIFEST)]))?;
    kill_point("staged");
    let journal = Journal { tribune_site_journal: FORMAT, write: files.to_vec(), remove: removed.to_vec() };
    write_json(&staged.root, JOURNAL, &journal, true)?;
    // From here on the build is done, whoever finishes it.
    staged.armed = false;
    kill_point("journaled");
    roll_forward(out, &staged.root, &journal)
}

/// Finishes or clears what a killed incremental build left in OUT (called under OUT's
/// lock, before OUT is read): a staging directory with a journal is rolled forward; one
/// without was never committed, and is removed.
/// With `full` (a build that writes every page again anyway), a journal that cannot be
/// followed is dropped rather than refused.
pub fn recover(out: &Path, full: bool) -> Result<()> {
    if !out.join(MANIFEST).is_file() {
        return Ok(());
    }
    let root = out.join(STAGING);
    let meta = std::fs::symlink_metadata(&root).ok();
    // Tribune's own name in OUT held by a file or a link: no build of its own.
    if meta.as_ref().is_some_and(|m| !m.is_dir()) {
        let _ = std::fs::remove_file(&root);
    }
    let is_dir = meta.is_some_and(|m| m.is_dir());
    let journal = std::fs::read(root.join(JOURNAL)).ok().and_then(|b| serde_json::from_slice::<Journal>(&b).ok());
    match journal {
        Some(j) if is_dir => match followable(out, &root, &j) {
            Err(why) if full => drop(why),
            Err(why) => {
                return Err(fail(
                    format!("{} cannot be followed: {why}: nothing was written", root.join(JOURNAL).display()),
                    format!(
                        "the staging directory was not left by a build of this site; remove {} and build with --full",
                        root.display()
                    ),
                ))
            }
            Ok(()) => {
                let done = roll_forward(out, &root, &j);
                if !full {
                    done.with_context(|| format!("could not finish the build {} records", root.display()))?;
                }
            }
        },
        _ => {}
    }
    // Staging directories without a journal (and those of older versions, with a suffix).
    if let Ok(entries) = std::fs::read_dir(out) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(STAGING) && e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(())
}

/// Whether a journal found in OUT is one a build of this site wrote, which may be followed:
/// every path it names a file of a site, every file it writes staged as a plain file (no
/// symbolic link on the way, inside the staging directory or OUT) and listed by the
/// staged manifest, every file it removes listed by OUT's manifest. (Anyone who can write
/// in OUT could plant one; followed blindly, it would publish what a link points to, or
/// remove what the site never wrote.)
fn followable(out: &Path, root: &Path, journal: &Journal) -> std::result::Result<(), String> {
    let read = |path: PathBuf| -> Option<Manifest> { serde_json::from_slice(&std::fs::read(path).ok()?).ok() };
    let staged_manifest = root.join(STAGED_MANIFEST);
    // The manifest is moved into place after every removal: when it was, they were done.
    let (new, moved) = match std::fs::symlink_metadata(&staged_manifest) {
        Ok(m) if m.is_file() => (read(staged_manifest).ok_or("its staged manifest does not parse")?, false),
        Ok(_) => return Err("its staged manifest is not a plain file".into()),
        Err(_) => (read(out.join(MANIFEST)).ok_or("the site's manifest does not parse")?, true),
    };
    let old = read(out.join(MANIFEST)).unwrap_or_default();
    if let Some(bad) = journal.write.iter().chain(&journal.remove).find(|p| !safe_rel(p)) {
        return Err(format!("it names {bad:?}, which is no file of a site"));
    }
    if let Some(bad) = journal.write.iter().find(|p| !new.pages.contains_key(*p)) {
        return Err(format!("it writes {bad:?}, which its manifest does not list"));
    }
    let removable = |p: &String| match moved {
        true => std::fs::symlink_metadata(out.join(p)).is_err(),
        false => old.pages.contains_key(p) && !new.pages.contains_key(p),
    };
    if let Some(bad) = journal.remove.iter().find(|p| !removable(p)) {
        return Err(format!("it removes {bad:?}, which the site's manifest does not list"));
    }
    let staged = root.join(STAGED_FILES);
    match std::fs::symlink_metadata(&staged) {
        Ok(m) if !m.is_dir() => return Err(format!("{} is not a directory", staged.display())),
        _ => {}
    }
    for rel in &journal.write {
        no_link_on_the_way(&staged, rel).map_err(|e| format!("{e:#}"))?;
        match std::fs::symlink_metadata(staged.join(rel)) {
            Ok(m) if !m.is_file() => return Err(format!("{rel:?} is staged as something else than a file")),
            _ => {}
        }
    }
    Ok(())
}

/// Does what `journal` says; each step can be done again (a file already moved is not in
/// the staging directory any more, one already removed is not in OUT), so a build killed
/// here is finished by the next. The staging directory goes last, its journal first.
fn roll_forward(out: &Path, root: &Path, journal: &Journal) -> Result<()> {
    for rel in journal.write.iter().chain(&journal.remove) {
        no_link_on_the_way(out, rel)?;
    }
    // From here on relative to open directories, never through a link (see `at`): the
    // checks above say what is wrong; these keep a link swapped in meanwhile from leading
    // anywhere.
    let out_dir = super::at::Dir::open(out).with_context(|| format!("could not open {}", out.display()))?;
    let name = root.file_name().map_or(STAGING.into(), |n| n.to_string_lossy());
    let staging = out_dir.sub(&name, false)?.with_context(|| format!("{} is gone", root.display()))?;
    let staged = staging.sub(STAGED_FILES, false)?;
    for (i, rel) in journal.write.iter().enumerate() {
        let (dir, leaf) = super::at::split(rel);
        let Some(from) = staged.as_ref().map(|s| s.sub(dir, false)).transpose()?.flatten() else { continue };
        match from.is_file(leaf)? {
            // Moved already (by the build that was killed).
            None => continue,
            Some(false) => bail!("{rel} is staged as something else than a file"),
            Some(true) => {}
        }
        let to = out.join(rel);
        let into =
            out_dir.sub(dir, true)?.with_context(|| format!("could not make the directory of {}", to.display()))?;
        from.rename_to(leaf, &into, leaf).with_context(|| format!("could not write {}", to.display()))?;
        if i == 0 {
            kill_point("applying");
        }
    }
    for rel in &journal.remove {
        let (dir, leaf) = super::at::split(rel);
        let Some(d) = out_dir.sub(dir, false).ok().flatten() else { continue };
        let _ = d.remove(leaf, false);
        // Directories left empty go too (an article's, its files').
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        while let Some(last) = parts.pop() {
            let Some(parent) = out_dir.sub(&parts.join("/"), false).ok().flatten() else { break };
            if parent.remove(last, true).is_err() {
                break;
            }
        }
    }
    if staging.is_file(STAGED_MANIFEST)? == Some(true) {
        staging.rename_to(STAGED_MANIFEST, &out_dir, MANIFEST).context("could not write the manifest")?;
    }
    // The renames on disk before the journal that would redo them goes.
    sync_dirs(out, journal.write.iter().chain(&journal.remove));
    staging.remove(JOURNAL, false).with_context(|| format!("could not remove {}", root.join(JOURNAL).display()))?;
    let _ = std::fs::remove_dir_all(root);
    Ok(())
}
