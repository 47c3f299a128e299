//! Writing results: tables for people, JSON for programs, colour only where it helps.

pub mod audit;
pub mod events;
pub mod here;
pub mod hook;
pub mod pager;
pub mod progress;
pub mod site;
pub mod sync;
mod table;
pub mod verification;

pub use table::{Cell, Table, Tone};

use crate::cli::ColorChoice;
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::io::IsTerminal;

/// How output should look: decided once from the flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub tty: bool,
    /// The terminal's width, when stdout is one that reports a usable width: tables fit it.
    pub width: Option<u16>,
}

/// The columns `s` takes on a terminal: its characters' widths, SGR escapes left out.
fn visible_width(s: &str) -> usize {
    let mut width = 0;
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        width += unicode_width::UnicodeWidthStr::width(&rest[..i]);
        rest = match rest[i..].find('m') {
            Some(end) => &rest[i + end + 1..],
            None => "",
        };
    }
    width + unicode_width::UnicodeWidthStr::width(rest)
}

/// [`Style::fit`] at `width` columns.
fn fit_to(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if visible_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let lead = line.len() - line.trim_start_matches(' ').len();
        let indent = " ".repeat((lead + 2).min(width / 2));
        let mut used = 0;
        out.push_str(&line[..lead]);
        used += lead;
        // Each word with the run of spaces before it: kept within a line (columns of
        // prose stay aligned), dropped at a break.
        let mut first = true;
        for (spaces, word) in words(&line[lead..]) {
            let gap = if first { 0 } else { spaces };
            let ww = visible_width(word);
            if !first && used + gap + ww > width {
                out.push('\n');
                out.push_str(&indent);
                used = indent.len();
            } else {
                out.push_str(&" ".repeat(gap));
                used += gap;
            }
            out.push_str(word);
            used += ww;
            first = false;
        }
    }
    out
}

/// The words of a line, each with the number of spaces before it. A `code span` (a command
/// to copy, between backticks) is one word, spaces and all, so that a break never splits a
/// suggested command in two; a line with an odd number of backticks has no code spans.
fn words(line: &str) -> Vec<(usize, &str)> {
    let code = line.matches('`').count() % 2 == 0;
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let before = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let (start, mut inside) = (i, false);
        while i < bytes.len() && (inside || bytes[i] != b' ') {
            if code && bytes[i] == b'`' {
                inside = !inside;
            }
            i += 1;
        }
        out.push((start - before, &line[start..i]));
    }
    out
}

impl Style {
    pub fn detect(choice: ColorChoice) -> Style {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        COLOR.store(color, std::sync::atomic::Ordering::Relaxed);
        // Tables style their cells through comfy-table, whose terminal library has its own
        // idea of NO_COLOR: the choice made here is the one that counts.
        crossterm::style::force_color_output(color);
        let width = if tty { terminal_width() } else { None };
        Style { color, tty, width }
    }

    /// Prose fitted to the terminal: each line wider than it is broken at spaces, its
    /// continuation indented two more than the line, so that the terminal never breaks a
    /// word (an id, a slug, a URL) in two, nor a `command` between backticks. A word wider
    /// than the terminal stays whole on a line of its own. Colour escapes take no width. Off a terminal, the text as it is.
    pub fn fit(&self, text: &str) -> String {
        match self.width {
            Some(w) if w > 20 => fit_to(text, usize::from(w)),
            _ => text.to_string(),
        }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn paint(&self, sgr: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// A table with bold headers and no boxes, fitted to the terminal when there is one
    /// (see [`Table`] for which columns give way).
    pub fn table(&self, headers: &[&str]) -> Table {
        Table::new(headers, self.color, self.width)
    }
}

/// Narrower than this, a reported width is taken for a terminal that does not know its size
/// (a serial console, some CI pseudo-terminals say 0): tables are then laid out as for a pipe,
/// at their natural width, rather than squeezed into one-character columns.
const MIN_TERMINAL_WIDTH: u16 = 20;

/// The width of the terminal: `COLUMNS` when set (as git reads it), else what the terminal
/// reports; `None` when neither gives a plausible width.
fn terminal_width() -> Option<u16> {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|&w| w > 0);
    let width = from_env.or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w))?;
    (width >= MIN_TERMINAL_WIDTH).then_some(width)
}

/// The width `--help` is wrapped to: the terminal's, found as tables find it (COLUMNS, else
/// what the terminal reports), so that help fits the terminal even where clap's own guess
/// fails (it takes a terminal that reports no rows, as a fresh pseudo-terminal does, for no
/// terminal at all, and then wraps at 100). None when standard output is not a terminal
/// and COLUMNS is not set: clap's default then.
pub fn help_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok().is_some_and(|c| c.trim().parse::<u16>().is_ok_and(|w| w > 0));
    if !columns && !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_width().map(usize::from)
}

/// A line for standard error (an error, a hint, a warning), fitted to the terminal as
/// [`Style::fit`] fits prose when standard error is one.
pub fn fit_for_stderr(text: &str) -> String {
    use std::io::IsTerminal;
    match terminal_width().filter(|_| std::io::stderr().is_terminal()) {
        Some(w) if w > 20 => fit_to(text, usize::from(w)),
        _ => text.to_string(),
    }
}

/// Prose of a command's own (not the data's): its suggested commands with this run's
/// `-C DIR` ([`here::here`]), fitted to the terminal ([`Style::fit`]).
pub fn print_prose(style: &Style, text: &str) -> Result<()> {
    print(&style.fit(&here::here(text)))
}

/// Text from the data, made harmless for a terminal: every control character (C0, DEL and
/// C1: ESC, carriage return, backspace, bell, CSI…) is shown as a visible escape such as
/// `\u{1b}`, so that nothing a contributor wrote can move the cursor, recolour the screen,
/// set the window title or hide a line. With `multiline`, newlines and tabs stay (and a
/// CRLF is a newline). Every text and table renderer passes data through it; JSON needs
/// none of this, serde_json escapes control characters itself.
///
/// On one line, the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) are shown the same way: a title holding an unclosed right-to-left
/// override would otherwise reverse the rest of its table row, the ids after it included.
pub fn neutralise(s: &str, multiline: bool) -> Cow<'_, str> {
    let keep = |c: char| multiline && (c == '\n' || c == '\t');
    let bidi = |c: char| !multiline && crate::model::words::reorders(c);
    if !s.chars().any(|c| (c.is_control() && !keep(c)) || bidi(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if multiline && c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if (c.is_control() && !keep(c)) || bidi(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`neutralise`] for one line of output (a table cell, a name, a title).
pub fn clean(s: &str) -> String {
    neutralise(s, false).into_owned()
}

/// [`neutralise`] for multi-line text (a body, a challenge, a whole export).
pub fn clean_text(s: &str) -> String {
    neutralise(s, true).into_owned()
}

pub use crate::model::words::{bytes, count, short};

pub use crate::model::time::{time, AsTime};

/// Whether this run paints colour (set by [`Style::detect`]): only then may output hold
/// the SGR sequences [`Style::paint`] writes.
static COLOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The last line of defence, applied to everything [`print`] writes: every control
/// character but newline and tab is shown as a visible escape, except, when this run paints
/// colour, the colour sequences (`ESC [ digits; … m`) the program writes itself. A renderer
/// that forgot to clean a field of the data can at worst let it pick a colour: never move
/// the cursor, clear the screen or set the window title.
pub fn guard(text: &str) -> Cow<'_, str> {
    guard_with(text, COLOR.load(std::sync::atomic::Ordering::Relaxed))
}

fn guard_with(text: &str, colour: bool) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if colour && c == '\x1b' {
            let tail = &rest[1..];
            let sgr = tail.strip_prefix('[').and_then(|t| {
                let end = t.find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))?;
                t[end..].starts_with('m').then_some(end + 2)
            });
            if let Some(len) = sgr {
                out.push_str(&rest[..1 + len]);
                rest = &rest[1 + len..];
                continue;
            }
        }
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Writes text to standard output (or the [`pager`]), through [`guard`]; a closed pipe
/// surfaces as an `io::Error` that `main` treats as success.
pub fn print(text: &str) -> Result<()> {
    // What the domain had to say comes first, on standard error.
    events::flush();
    let text = guard(text);
    pager::write(text.as_bytes())?;
    if !text.ends_with('\n') {
        pager::write(b"\n")?;
    }
    Ok(())
}

/// Writes bytes exactly as they are (`show --raw`: the stored file, which the reader asked
/// for unaltered), to standard output or the [`pager`].
pub fn print_raw(bytes: &[u8]) -> Result<()> {
    pager::write(bytes)?;
    Ok(())
}

/// Prints a table flush left, two spaces between columns, no padding at line ends.
pub fn print_table(table: &Table) -> Result<()> {
    print(&table.render())
}

/// Prints a value as pretty JSON.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}

#[cfg(test)]
mod fit_tests {
    use super::fit_to;

    #[test]
    fn prose_breaks_at_spaces_and_never_inside_a_word() {
        let line =
            "  original   Rank-and-File Caucus (rfc), by Rosa Lopez · warehouse-workers-shut-down-line-3@138f34b747";
        let out = fit_to(line, 40);
        assert_eq!(
            out,
            "  original   Rank-and-File Caucus (rfc),\n    by Rosa Lopez ·\n    warehouse-workers-shut-down-line-3@138f34b747"
        );
        assert_eq!(fit_to("short\nlines", 40), "short\nlines");
        assert_eq!(fit_to("\x1b[1mbold\x1b[0m words here", 15), "\x1b[1mbold\x1b[0m words here");
    }

    #[test]
    fn a_command_between_backticks_is_never_broken() {
        let line = "Result: APPROVED; recount it with `tribune -C /srv/commons verify a-statement`";
        assert_eq!(
            fit_to(line, 40),
            "Result: APPROVED; recount it with\n  `tribune -C /srv/commons verify a-statement`"
        );
        // Wider than the terminal, it stays whole on a line of its own.
        assert_eq!(
            fit_to(line, 30),
            "Result: APPROVED; recount it\n  with\n  `tribune -C /srv/commons verify a-statement`"
        );
        // A stray backtick makes no span: the line breaks at spaces as any other.
        assert_eq!(fit_to("a `b c d e", 5), "a `b\n  c d\n  e");
        assert_eq!(fit_to("two  spaces `x  y` kept", 80), "two  spaces `x  y` kept");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_time_is_written_one_way() {
        let t = "2026-12-03T17:42:55Z";
        let seconds = chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
        assert_eq!(time(&seconds), t);
        assert_eq!(time(&chrono::DateTime::from_timestamp(seconds, 0).unwrap()), t);
        // A timestamp with its writer's offset, and a stored time with one, are shown in UTC.
        assert_eq!(time(&crate::git::Timestamp { seconds, offset_minutes: 60 }), t);
        assert_eq!(time("2026-12-03T18:42:55+01:00"), t);
        assert_eq!(time(&t.to_string()), t);
        assert_eq!(time(&0i64), "1970-01-01T00:00:00Z");
        assert_eq!(time("not a time"), "not a time");
        assert_eq!(time(&i64::MAX), format!("@{}", i64::MAX));
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(clean("a\x1b[2Jb\u{9b}c\r"), "a\\u{1b}[2Jb\\u{9b}c\\u{d}");
        assert_eq!(clean("tab\there\nline"), "tab\\u{9}here\\u{a}line");
        assert_eq!(clean_text("tab\there\r\nline\x07"), "tab\there\nline\\u{7}");
        assert!(matches!(neutralise("plain é ✓", false), Cow::Borrowed(_)));
    }

    #[test]
    fn the_guard_keeps_the_programs_colours_and_nothing_else() {
        assert_eq!(guard_with("\x1b[31mred\x1b[0m", true), "\x1b[31mred\x1b[0m");
        assert_eq!(guard_with("\x1b[31mred\x1b[0m", false), "\\u{1b}[31mred\\u{1b}[0m");
        assert_eq!(guard_with("\x1b]0;title\x07\x1b[2J", true), "\\u{1b}]0;title\\u{7}\\u{1b}[2J");
        assert_eq!(guard_with("a\tb\nc\r", true), "a\tb\nc\\u{d}");
        assert_eq!(guard_with("\x1b[", true), "\\u{1b}[");
    }

    proptest! {
        #[test]
        fn the_guard_lets_no_control_through_but_colour(s in any::<String>(), colour: bool) {
            let out = guard_with(&s, colour);
            let mut rest: &str = &out;
            while let Some(i) = rest.find(|c: char| c.is_control() && c != '\n' && c != '\t') {
                prop_assert!(colour && rest[i..].starts_with("\x1b["), "{:?}", out);
                let t = &rest[i + 2..];
                let end = t.find(|ch: char| !(ch.is_ascii_digit() || ch == ';')).unwrap();
                prop_assert!(t[end..].starts_with('m'));
                rest = &t[end + 1..];
            }
        }

        #[test]
        fn no_control_character_survives(s in any::<String>(), multiline: bool) {
            let out = neutralise(&s, multiline);
            prop_assert!(!out.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t'))));
        }
    }
}
