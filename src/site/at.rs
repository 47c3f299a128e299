//! File operations inside OUT relative to open directories, never following a symbolic
//! link on the way: anyone who may write in OUT could swap one of its directories for a
//! link between a check of the path and its use, and have a build write or remove files
//! elsewhere. Each directory is opened (and made) one name at a time, without following a
//! link, and each file renamed or removed relative to the directory so opened.

use std::io;
use std::path::Path;

/// An open directory.
pub struct Dir {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

/// `rel` (slash-separated) as its directory part and its last name.
pub fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

#[cfg(unix)]
mod sys {
    use std::ffi::CString;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    pub fn name(s: &str) -> io::Result<CString> {
        CString::new(s).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a name holds a NUL"))
    }

    /// `name` under `dir`, a directory opened without following a link.
    pub fn open_dir(dir: libc::c_int, name: &CString) -> io::Result<OwnedFd> {
        let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        // SAFETY: a valid NUL-terminated name, a directory descriptor the caller owns.
        let fd = unsafe { libc::openat(dir, name.as_ptr(), flags) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a descriptor openat just returned, owned by nothing else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    pub fn raw(fd: &OwnedFd) -> libc::c_int {
        fd.as_raw_fd()
    }

    pub fn check(r: libc::c_int) -> io::Result<()> {
        if r == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

#[cfg(unix)]
impl Dir {
    /// The directory at `path` (its last name not followed if a link).
    pub fn open(path: &Path) -> io::Result<Dir> {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path holds a NUL"))?;
        Ok(Dir { fd: sys::open_dir(libc::AT_FDCWD, &c)? })
    }

    /// The directory `rel` under this one (itself for ""), each name opened without
    /// following a link; with `create`, made where missing. None when missing otherwise.
    pub fn sub(&self, rel: &str, create: bool) -> io::Result<Option<Dir>> {
        let mut fd = sys::open_dir(sys::raw(&self.fd), &sys::name(".")?)?;
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            let c = sys::name(part)?;
            let next = match sys::open_dir(sys::raw(&fd), &c) {
                Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                    // SAFETY: a valid name under a directory descriptor we own.
                    let made = unsafe { libc::mkdirat(sys::raw(&fd), c.as_ptr(), 0o755) };
                    if made != 0 && io::Error::last_os_error().kind() != io::ErrorKind::AlreadyExists {
                        return Err(io::Error::last_os_error());
                    }
                    sys::open_dir(sys::raw(&fd), &c)?
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                other => other?,
            };
            fd = next;
        }
        Ok(Some(Dir { fd }))
    }

    /// Whether `name` here is a plain file (None: nothing by that name), not following a link.
    pub fn is_file(&self, name: &str) -> io::Result<Option<bool>> {
        let c = sys::name(name)?;
        // SAFETY: zeroed stat is a valid out-parameter; a valid name and descriptor.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::fstatat(sys::raw(&self.fd), c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
        match sys::check(r) {
            Ok(()) => Ok(Some(st.st_mode & libc::S_IFMT == libc::S_IFREG)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Renames `name` here to `to_name` in `to`.
    pub fn rename_to(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
        let (a, b) = (sys::name(name)?, sys::name(to_name)?);
        // SAFETY: valid names and directory descriptors we own.
        sys::check(unsafe { libc::renameat(sys::raw(&self.fd), a.as_ptr(), sys::raw(&to.fd), b.as_ptr()) })
    }

    /// Removes the file (or, with `dir`, the empty directory) `name` here.
    pub fn remove(&self, name: &str, dir: bool) -> io::Result<()> {
        let c = sys::name(name)?;
        let flags = if dir { libc::AT_REMOVEDIR } else { 0 };
        // SAFETY: a valid name and a directory descriptor we own.
        sys::check(unsafe { libc::unlinkat(sys::raw(&self.fd), c.as_ptr(), flags) })
    }
}

/// Elsewhere, by path (no openat): builds there are not kept from following a link swapped
/// in meanwhile.
#[cfg(not(unix))]
impl Dir {
    pub fn open(path: &Path) -> io::Result<Dir> {
        Ok(Dir { path: path.to_path_buf() })
    }
    pub fn sub(&self, rel: &str, create: bool) -> io::Result<Option<Dir>> {
        let path = self.path.join(rel);
        if create {
            std::fs::create_dir_all(&path)?;
        }
        Ok(path.is_dir().then_some(Dir { path }))
    }
    pub fn is_file(&self, name: &str) -> io::Result<Option<bool>> {
        Ok(std::fs::symlink_metadata(self.path.join(name)).ok().map(|m| m.is_file()))
    }
    pub fn rename_to(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
        std::fs::rename(self.path.join(name), to.path.join(to_name))
    }
    pub fn remove(&self, name: &str, dir: bool) -> io::Result<()> {
        match dir {
            true => std::fs::remove_dir(self.path.join(name)),
            false => std::fs::remove_file(self.path.join(name)),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A link in OUT is never followed, made through, renamed into or removed through.
    #[test]
    fn a_link_on_the_way_leads_nowhere() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, outside) = (tmp.path().join("out"), tmp.path().join("outside"));
        std::fs::create_dir_all(out.join("real")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("victim"), "SECRET").unwrap();
        std::fs::write(out.join("real/page.html"), "page").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("link")).unwrap();
        let dir = Dir::open(&out).unwrap();
        assert!(dir.sub("link", false).is_err());
        assert!(dir.sub("link/made", true).is_err());
        assert!(!outside.join("made").exists());
        // Made one name at a time, and a file moved relative to open directories.
        let made = dir.sub("a/b", true).unwrap().unwrap();
        let real = dir.sub("real", false).unwrap().unwrap();
        assert_eq!(real.is_file("page.html").unwrap(), Some(true));
        assert_eq!(dir.is_file("link").unwrap(), Some(false));
        real.rename_to("page.html", &made, "page.html").unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b/page.html")).unwrap(), "page");
        assert!(dir.sub("missing", false).unwrap().is_none());
        // Removing through the link's name removes the link, never what it points to.
        dir.remove("link", false).unwrap();
        assert_eq!(std::fs::read_to_string(outside.join("victim")).unwrap(), "SECRET");
    }
}
