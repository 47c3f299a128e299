//! Progress bars on stderr (indicatif), for the reports of [`crate::progress`]: installed only
//! when stderr is a terminal, so a pipe, a file or a test's captured output never holds one,
//! and standard output (JSON included) is never touched.

use crate::progress::{Bar, Sink};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Installs the bars when stderr is a terminal; otherwise progress is not shown at all.
pub fn install_on_terminal() {
    if std::io::stderr().is_terminal() {
        crate::progress::install(Box::new(Bars));
    }
}

struct Bars;

impl Sink for Bars {
    fn start(&self, what: &str, total: Option<u64>) -> Box<dyn Bar> {
        let (bar, template) = match total {
            Some(n) => (
                ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
                "{msg} {wide_bar} {human_pos}/{human_len} {eta}",
            ),
            None => {
                (ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()), "{spinner} {msg} ({human_pos})")
            }
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        // Names and counts only, from the program: nothing from the data reaches the terminal.
        bar.set_message(super::clean(what));
        if total.is_none() {
            // A spinner turns by itself: the work may report no step for a while.
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        bar.tick();
        Box::new(Shown(bar))
    }
}

struct Shown(ProgressBar);

impl Bar for Shown {
    fn advance(&self, steps: u64) {
        self.0.inc(steps);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
