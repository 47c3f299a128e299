//! Where a build writes, and how it keeps other builds out: OUT followed through a symbolic
//! link to the directory it names, a lock file beside that directory held by one build at a
//! time, and what a killed build left behind dealt with before anything is read (its
//! journal finished, its staging directories removed).

use crate::error::fail;
use anyhow::Result;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The directory a build writes, locked against every other build of it until dropped.
pub struct Target {
    dir: PathBuf,
    /// The lock file beside OUT, when this build could make it.
    lock: Option<PathBuf>,
    /// Held open: the lock lasts as long as the file is open (and ends with the process,
    /// however it ends, so a killed build never leaves a lock that blocks the next one).
    file: Option<File>,
    /// OUT's own directory, locked too when it exists (see [`Target::lock`]).
    _dir_lock: Option<File>,
}

impl Target {
    /// Resolves OUT, takes its lock (refused when another build holds it), then finishes
    /// or clears what a killed build of it left (`full`: see [`super::journal::recover`]).
    pub fn lock(out: &Path, full: bool) -> Result<Target> {
        let dir = resolve(out)?;
        // OUT's own directory first, when there is one: a build that may not write beside
        // it (a web root in a directory of root's) still keeps every other build out, as
        // every build of an existing site holds this lock too.
        let dir_lock = match File::open(&dir) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => match try_lock(&f) {
                Ok(true) => Some(f),
                Ok(false) => return Err(busy(out, &dir.display().to_string(), None)),
                Err(_) => None,
            },
            _ => None,
        };
        let parent = parent_of(&dir);
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        let lock = parent.join(format!(".{name}{LOCK_SUFFIX}"));
        // Only an incremental build of a site already there can do without the lock beside
        // it (a whole build writes beside OUT anyway).
        let beside_optional = dir_lock.is_some() && !writable(&parent) && !lock.exists();
        let file = if beside_optional {
            None
        } else {
            std::fs::create_dir_all(&parent).map_err(|e| {
                fail(format!("cannot make {}: {e}", parent.display()), "check the path and permissions")
            })?;
            Some(take(&lock, out)?)
        };
        let target = Target { dir, lock: file.is_some().then_some(lock), file, _dir_lock: dir_lock };
        // Nobody else builds this site now: what is left of another build is a dead one's.
        if target.file.is_some() {
            clear_beside(&parent, &name);
        }
        super::journal::recover(&target.dir, full)?;
        Ok(target)
    }

    /// The directory to write: OUT, or the directory its symbolic link names.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        // Removed while still held: a build that opened it meanwhile finds, once it holds
        // it, that it is no longer the file at that path, and takes the new one (see `take`).
        if let Some(lock) = &self.lock {
            let _ = std::fs::remove_file(lock);
        }
        drop(self.file.take());
    }
}

/// The lock file's name beside OUT: `.OUT.tribune-site.lock`.
const LOCK_SUFFIX: &str = ".tribune-site.lock";
/// The prefix of a whole build's directory beside OUT, after `.OUT`.
pub const BESIDE: &str = ".tribune-build-";

/// OUT, or when it is a symbolic link, the directory it leads to (the link is kept: the
/// site is built where it points, as rsync and static site generators do).
fn resolve(out: &Path) -> Result<PathBuf> {
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        // `.` or `site/..` has no name to put the lock and the whole build beside it by.
        if out.file_name().is_none() {
            if let Ok(dir) = std::fs::canonicalize(out) {
                return Ok(dir);
            }
        }
        return Ok(out.to_path_buf());
    }
    let to = std::fs::read_link(out).map(|p| p.display().to_string()).unwrap_or_default();
    match std::fs::canonicalize(out) {
        Ok(dir) if dir.is_dir() => Ok(dir),
        Ok(_) => Err(fail(
            format!("{} is a symbolic link to {to}, which is not a directory: nothing was written", out.display()),
            "point the link at the site's directory, or give that directory itself",
        )),
        Err(e) => Err(fail(
            format!("{} is a symbolic link to {to}, which cannot be reached ({e}): nothing was written", out.display()),
            "make the directory it names (the site is built there), or point the link elsewhere",
        )),
    }
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Opens and locks `path`, made if missing; refused at once when another process holds it.
fn take(path: &Path, out: &Path) -> Result<File> {
    loop {
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // Never through a symbolic link: a link planted there would have the build write
        // its process id over whatever it points to.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
        let file = options.open(path).map_err(|e| {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            match link {
                true => fail(
                    format!("{} is a symbolic link, not a lock file tribune made: nothing was written", path.display()),
                    "remove the link, then build again",
                ),
                false => fail(format!("cannot open the lock file {}: {e}", path.display()), "check the permissions"),
            }
        })?;
        // A plain file of its own: a hard link to another file would have the build write
        // its process id over that one.
        if !file.metadata().is_ok_and(|m| m.is_file() && links(&m) == 1) {
            return Err(fail(
                format!(
                    "{} is not a plain file of its own, so not a lock file tribune made: nothing was written",
                    path.display()
                ),
                "remove it, then build again",
            ));
        }
        match try_lock(&file) {
            Ok(true) => {}
            Ok(false) => {
                let holder = std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse::<u32>().ok());
                return Err(busy(out, &path.display().to_string(), holder));
            }
            Err(e) => {
                return Err(fail(
                    format!("cannot lock {}: {e}", path.display()),
                    "check the file system and permissions",
                ))
            }
        }
        if same_file(&file, path) {
            // Who holds it, for the message another build gives.
            let _ = file.set_len(0);
            let _ = std::io::Write::write_all(&mut &file, std::process::id().to_string().as_bytes());
            return Ok(file);
        }
    }
}

/// Another build holds the lock on `what` (a lock file, or OUT's directory).
fn busy(out: &Path, what: &str, holder: Option<u32>) -> anyhow::Error {
    let by = holder.map(|p| format!(" (process {p})")).unwrap_or_default();
    fail(
        format!("another build{by} is writing the site in {} (it holds {what}): nothing was written", out.display()),
        "wait for it to end, then build again; the lock goes with the process that holds it",
    )
}

/// How many names the file has.
#[cfg(unix)]
fn links(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(m)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Whether this process may make files in `dir`.
#[cfg(unix)]
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: a valid NUL-terminated path; access(2) reads it and nothing else.
    unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(_: &Path) -> bool {
    true
}

/// Takes an exclusive flock(2) lock on `file` without waiting: false when another process
/// holds it. (std's File::try_lock is newer than the Rust tribune supports.)
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: a file descriptor `file` owns, open for the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.kind() == std::io::ErrorKind::WouldBlock {
        return Ok(false);
    }
    Err(e)
}

/// Elsewhere, no lock: builds of one site are not kept apart.
#[cfg(not(unix))]
fn try_lock(_: &File) -> std::io::Result<bool> {
    Ok(true)
}

/// Whether the open `file` is still the one at `path` (not removed by the build before).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Removes the directories a killed whole build left beside OUT: `.OUT.tribune-build-XXXXXX`
/// (and `….old`), as tribune names them, and nothing else.
fn clear_beside(parent: &Path, name: &str) {
    let prefix = format!(".{name}{BESIDE}");
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else { continue };
        let rest = rest.strip_suffix(".old").unwrap_or(rest);
        let ours = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric());
        let dir = e.file_type().is_ok_and(|t| t.is_dir());
        if ours && dir {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
