//! Writing results: tables for people, JSON for programs, colour only where it helps.

use crate::cli::ColorChoice;
use anyhow::Result;
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// How output should look: decided once from the flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub tty: bool,
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
        Style { color, tty }
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

    /// A table with a header rule and no boxes, wrapped to the terminal when there is one.
    pub fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::NOTHING);
        t.set_header(headers.iter().map(|h| self.bold(h)).collect::<Vec<_>>());
        if self.tty {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        t
    }
}

/// The first `n` characters of an id, however short or odd the stored text is.
pub fn short(id: &str, n: usize) -> &str {
    id.get(..n).unwrap_or(id)
}

/// Writes text to standard output; a closed pipe surfaces as an `io::Error` that `main`
/// treats as success.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints a table flush left, two spaces between columns, no padding at line ends.
pub fn print_table(table: &Table) -> Result<()> {
    let mut table = table.clone();
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let text: Vec<String> = table.lines().map(|l| l.trim_end().to_string()).collect();
    print(&text.join("\n"))
}

/// Prints a value as pretty JSON.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}

/// "1 member", "3 members": a count with its noun.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}
