//! The pager: the output of a reading command goes through `less` (or the reader's own
//! pager) when it is written to a terminal, as git's does.
//!
//! The choice is git's: `GIT_PAGER`, then `core.pager`, then `PAGER`, then `less`; an empty
//! pager or `cat` means none. The pager starts with the first byte of output, not before,
//! so that a command that fails early prints its error on a clean terminal and progress
//! bars on stderr are gone before the pager takes the screen. A pager that exits before
//! reading everything (the reader quit `less`) closes the pipe: the next write fails with a
//! broken pipe, which `main` treats as success.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

/// Where standard output goes.
enum Sink {
    Stdout,
    /// A pager to start at the first write.
    Pending(String),
    Running(Child),
}

static SINK: Mutex<Sink> = Mutex::new(Sink::Stdout);

/// The pager git would run, from the environment and the repository's `core.pager`
/// (looked up only when `GIT_PAGER` is not set): None when that is empty or `cat`.
pub fn choose(core_pager: impl FnOnce() -> Option<String>) -> Option<String> {
    let var = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
    let pager = var("GIT_PAGER").or_else(core_pager).or_else(|| var("PAGER")).unwrap_or_else(|| "less".into());
    let name = pager.trim();
    (!name.is_empty() && name != "cat").then_some(pager)
}

/// Sends the rest of this run's standard output through `pager` (a shell command line).
pub fn page_through(pager: String) {
    if let Ok(mut sink) = SINK.lock() {
        *sink = Sink::Pending(pager);
    }
}

/// Writes `bytes` to the pager, starting it first if this is the first output, or to
/// standard output when there is none.
pub(super) fn write(bytes: &[u8]) -> std::io::Result<()> {
    let mut sink = SINK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Sink::Pending(command) = &*sink {
        *sink = match start(command) {
            Some(child) => Sink::Running(child),
            None => Sink::Stdout,
        };
    }
    match &mut *sink {
        Sink::Running(child) => match child.stdin.as_mut() {
            Some(stdin) => {
                stdin.write_all(bytes)?;
                stdin.flush()
            }
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        },
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()
        }
    }
}

/// Closes the pager's input and waits until the reader is done with it: called once, after
/// the command, so that the shell prompt (or an error message) comes after the pager.
pub fn finish() {
    let mut sink = SINK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Sink::Running(child) = &mut *sink {
        drop(child.stdin.take());
        // The pager's own exit status is the reader's business (git ignores it too).
        let _ = child.wait();
    }
    *sink = Sink::Stdout;
}

/// Starts the pager through the shell, as git does, with `LESS=FRX` (quit when the text
/// fits on one screen, let colours through, leave the text on the screen), `LV=-c` and
/// `LESSCHARSET=utf-8` unless the reader set them. None when it cannot be started: the output then goes to
/// the terminal directly, after a warning.
fn start(command: &str) -> Option<Child> {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", command]).stdin(Stdio::piped());
    for (key, value) in [("LESS", "FRX"), ("LV", "-c")] {
        if std::env::var_os(key).is_none() {
            cmd.env(key, value);
        }
    }
    // What tribune writes is UTF-8 whatever the locale: less must not show the `…`, `·` and
    // `→` it adds as escapes under LC_ALL=C (and misalign the tables around them).
    if std::env::var_os("LESSCHARSET").is_none() && std::env::var_os("LESSCHARDEF").is_none() {
        cmd.env("LESSCHARSET", "utf-8");
    }
    match cmd.spawn() {
        Ok(child) => {
            ignore_interrupts();
            Some(child)
        }
        Err(e) => {
            eprintln!("warning: could not start the pager {:?}: {e}", super::clean(command));
            None
        }
    }
}

/// Once the pager runs, Ctrl-C is the pager's (less uses it to stop a search): were
/// tribune to die of it, the shell would take the terminal back while the pager still
/// reads from it. tribune ends instead when the pager does, through the broken pipe.
#[cfg(unix)]
fn ignore_interrupts() {
    // SAFETY: installing SIG_IGN for two signals has no handler code to race with.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_interrupts() {}
