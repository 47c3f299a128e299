//! Progress of long work: the domain says what it is doing and how far it got, and whoever
//! runs it decides whether and how to show that.
//!
//! The binary installs a [`Sink`] (bars on a terminal's stderr, see `output::progress`);
//! without one every report is dropped, so library callers, pipes and tests see nothing.
//! The domain never prints progress itself.

use std::sync::OnceLock;

/// Shows progress: installed once, by the presentation layer.
pub trait Sink: Send + Sync {
    /// Starts showing a piece of work of `total` steps (None: not known in advance).
    fn start(&self, what: &str, total: Option<u64>) -> Box<dyn Bar>;
}

/// One piece of work being shown.
pub trait Bar: Send + Sync {
    fn advance(&self, steps: u64);
    /// Removes it from the screen; may be called more than once.
    fn finish(&self);
}

static SINK: OnceLock<Box<dyn Sink>> = OnceLock::new();

/// Installs the sink for this process (a second one is ignored).
pub fn install(sink: Box<dyn Sink>) {
    let _ = SINK.set(sink);
}

/// A piece of work in progress: shown while it lives, cleared when finished or dropped.
pub struct Progress(Option<Box<dyn Bar>>);

/// Starts reporting `what`, of `total` steps when known (work of no steps shows nothing).
pub fn start(what: &str, total: Option<u64>) -> Progress {
    if total == Some(0) {
        return Progress(None);
    }
    Progress(SINK.get().map(|s| s.start(what, total)))
}

/// [`start`] when `long` (the work is known to be long, such as a cold build), else a
/// report that shows nothing.
pub fn start_if(long: bool, what: &str, total: Option<u64>) -> Progress {
    if long {
        start(what, total)
    } else {
        Progress(None)
    }
}

impl Progress {
    /// `steps` more steps done (callable from any thread).
    pub fn advance(&self, steps: u64) {
        if let Some(bar) = &self.0 {
            bar.advance(steps);
        }
    }

    /// Done: the report leaves the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
