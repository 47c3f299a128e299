//! Tables for people: laid out by comfy-table on plain text, coloured only after the layout,
//! with ids that never break.
//!
//! Colour goes through comfy-table's own styling, never as escape bytes in a cell: comfy-table
//! measures cells by their text, so escape bytes would count as width, get wrapped and split
//! (and the output guard would then show the pieces as `\u{1b}[`). Here a cell holds only
//! neutralised text and a [`Tone`]; comfy-table applies the tone to the text once the columns
//! are set, so a table has the same layout with and without colour.

use comfy_table::{presets, Attribute, Color, ColumnConstraint, ContentArrangement, Row, Width};

/// The narrowest a free-text column gets on a narrow terminal: four characters and the `…`.
const FREE_TEXT_FLOOR: u16 = 5;

/// How a cell is coloured when the run paints colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Bold,
    Dim,
    Red,
    Green,
    Yellow,
    Cyan,
    Magenta,
}

/// One table cell: text from the data, made harmless ([`super::clean`]), and an optional tone.
/// There is no way to put escape bytes into a cell.
#[derive(Debug, Clone)]
pub struct Cell {
    text: String,
    tone: Option<Tone>,
}

impl Cell {
    pub fn new(text: impl AsRef<str>) -> Cell {
        Cell { text: super::clean(text.as_ref()), tone: None }
    }

    /// A cell coloured `tone` when colour is on.
    pub fn toned(text: impl AsRef<str>, tone: Tone) -> Cell {
        Cell { tone: Some(tone), ..Cell::new(text) }
    }

    fn render(&self) -> comfy_table::Cell {
        let cell = comfy_table::Cell::new(&self.text);
        match self.tone {
            None => cell,
            Some(Tone::Bold) => cell.add_attribute(Attribute::Bold),
            Some(Tone::Dim) => cell.add_attribute(Attribute::Dim),
            // The dark variants are the plain SGR 31–36 colours `Style::paint` writes elsewhere.
            Some(Tone::Red) => cell.fg(Color::DarkRed),
            Some(Tone::Green) => cell.fg(Color::DarkGreen),
            Some(Tone::Yellow) => cell.fg(Color::DarkYellow),
            Some(Tone::Cyan) => cell.fg(Color::DarkCyan),
            Some(Tone::Magenta) => cell.fg(Color::DarkMagenta),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::new(s)
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::new(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::new(s)
    }
}

/// A table with bold headers, no boxes and two spaces between columns, made by
/// [`super::Style::table`].
///
/// Every column keeps the full width of its widest cell (ids, slugs, versions, dates, numbers
/// stay whole and can be copied) except the ones named in [`Table::free_text`]: on a narrow
/// terminal those shrink, and their text is cut to one line ending in `…` (or, after
/// [`Table::wrap`], continues on the next lines). When the ids alone are wider than the
/// terminal the lines run over: a broken id is worse than a long line.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    free: Vec<bool>,
    wrap: bool,
    rows: Vec<Vec<Cell>>,
    color: bool,
    width: Option<u16>,
}

impl Table {
    pub(super) fn new(headers: &[&str], color: bool, width: Option<u16>) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            free: vec![false; headers.len()],
            wrap: false,
            rows: Vec::new(),
            color,
            width,
        }
    }

    /// Marks the columns of free text (titles, summaries, comments, names) that may shrink.
    pub fn free_text(mut self, headers: &[&str]) -> Table {
        for h in headers {
            let i = self.headers.iter().position(|x| x == h);
            debug_assert!(i.is_some(), "no column {h:?} in {:?}", self.headers);
            if let Some(i) = i {
                self.free[i] = true;
            }
        }
        self
    }

    /// Free text that does not fit continues on the next lines instead of being cut: for
    /// text the reader needs whole, such as why a ballot was excluded.
    pub fn wrap(mut self) -> Table {
        self.wrap = true;
        self
    }

    /// Adds a row: plain strings, or [`Cell`]s for coloured ones.
    pub fn row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table as lines without trailing spaces, joined by newlines (no final newline).
    pub fn render(&self) -> String {
        let mut t = comfy_table::Table::new();
        t.load_preset(presets::NOTHING);
        // This run decides the width and the colour, not comfy-table's own look at stdout:
        // with `--color always` stdout may be a pipe, and a tty's width was checked already.
        t.force_no_tty();
        if self.color {
            t.enforce_styling();
            // Only the text, not the padding: so the lines end in plain spaces, trimmed below.
            t.style_text_only();
        }
        t.set_truncation_indicator("…");
        match self.width {
            Some(w) => t.set_content_arrangement(ContentArrangement::Dynamic).set_width(w),
            None => t.set_content_arrangement(ContentArrangement::Disabled),
        };
        let one_line = |cells: Vec<comfy_table::Cell>| {
            let mut row = Row::from(cells);
            if !self.wrap {
                row.max_height(1);
            }
            row
        };
        t.set_header(one_line(self.headers.iter().map(|h| Cell::toned(h, Tone::Bold).render()).collect()));
        for r in &self.rows {
            t.add_row(one_line(r.iter().map(Cell::render).collect()));
        }
        let widths = t.column_max_content_widths();
        let narrowed = self.narrowed_headers(&widths);
        if narrowed.iter().any(Option::is_some) {
            t.set_header(Row::from(
                self.headers.iter().map(|h| Cell::toned(h, Tone::Bold).render()).collect::<Vec<_>>(),
            ));
        }
        let last = widths.len().saturating_sub(1);
        for (i, column) in t.column_iter_mut().enumerate() {
            // Two spaces between columns; none after the last, so a line fills the terminal.
            let right = if i == last { 0 } else { 2 };
            column.set_padding((0, right));
            column.set_constraint(if self.free.get(i).copied().unwrap_or(false) {
                let floor = widths.get(i).copied().unwrap_or(1).min(FREE_TEXT_FLOOR);
                ColumnConstraint::LowerBoundary(Width::Fixed(floor + right))
            } else if let Some(Some(w)) = narrowed.get(i) {
                ColumnConstraint::Absolute(Width::Fixed(w + right))
            } else {
                ColumnConstraint::ContentWidth
            });
        }
        t.lines().map(|l| l.trim_end().to_string()).collect::<Vec<_>>().join("\n")
    }
}

impl Table {
    /// When the table is wider than the terminal even with its free text at the narrowest,
    /// the fixed columns whose header of several words is wider than their cells: each
    /// narrowed to its widest cell or to its header on two lines, whichever is wider
    /// ("MEDIAN TIME" over "TO ANSWER" over "3h 0m"). A header of one word, and every cell,
    /// stays whole. None for the others (and for all, when the table fits).
    fn narrowed_headers(&self, widths: &[u16]) -> Vec<Option<u16>> {
        let none = vec![None; self.headers.len()];
        let Some(width) = self.width else { return none };
        let w = |s: &str| unicode_width::UnicodeWidthStr::width(s) as u16;
        let cells = |i: usize| self.rows.iter().filter_map(|r| r.get(i)).map(|c| w(&c.text)).max().unwrap_or(0);
        let mut natural = 2 * self.headers.len().saturating_sub(1) as u16;
        let mut out = none.clone();
        for (i, h) in self.headers.iter().enumerate() {
            let full = widths.get(i).copied().unwrap_or(0);
            if self.free[i] {
                natural += full.min(FREE_TEXT_FLOOR);
                continue;
            }
            // The narrowest the header gets on two lines: split at its best space.
            let two_lines = h.match_indices(' ').map(|(at, _)| w(&h[..at]).max(w(&h[at + 1..]))).min().unwrap_or(full);
            let need = cells(i).max(two_lines);
            if h.contains(' ') && need < full {
                out[i] = Some(need);
            }
            natural += full;
        }
        if natural <= width {
            return none;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\x1b') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find('m').expect("an SGR sequence");
            rest = &rest[i + end + 1..];
        }
        out + rest
    }

    fn sample(color: bool, width: Option<u16>) -> String {
        let mut t = Table::new(&["SLUG", "TITLE", "STATUS"], color, width).free_text(&["TITLE"]);
        t.row([
            Cell::new("a-rather-long-slug-that-must-stay-whole"),
            Cell::new("A rather long title that has to give way on a narrow terminal"),
            Cell::toned("counted", Tone::Green),
        ]);
        t.row(["short", "Short", "EXCLUDED"]);
        t.render()
    }

    #[test]
    fn colour_does_not_change_the_layout() {
        for width in [None, Some(40), Some(60), Some(80), Some(200)] {
            let plain = sample(false, width);
            let coloured = sample(true, width);
            assert!(!plain.contains('\x1b'), "{plain}");
            assert!(coloured.contains("\x1b["), "{coloured:?}");
            assert_eq!(strip(&coloured), plain, "at {width:?}");
        }
    }

    #[test]
    fn ids_stay_whole_and_free_text_is_cut_to_one_line() {
        let out = sample(false, Some(60));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[1].starts_with("a-rather-long-slug-that-must-stay-whole  A rather"), "{out}");
        assert!(lines[1].contains("…  counted"), "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= 60), "{out}");
        let status = lines[0].find("STATUS").unwrap();
        assert_eq!(lines[1].chars().count() - "counted".len(), status, "{out}");
    }

    /// A long header of several words over short cells takes two lines when the table would
    /// not fit otherwise; one line when it fits.
    #[test]
    fn a_long_header_over_short_cells_wraps_only_when_the_table_would_not_fit() {
        let table = |width: Option<u16>| {
            let mut t = Table::new(&["CONTINGENT", "MEDIAN TIME TO ANSWER", "OLDEST OPEN"], false, width);
            t.row(["abc-of-some-length-here", "3h 0m", "6d 20h"]);
            t.render()
        };
        let narrow = table(Some(50));
        let lines: Vec<&str> = narrow.lines().collect();
        assert_eq!(lines[0], "CONTINGENT               MEDIAN TIME  OLDEST", "{narrow}");
        assert_eq!(lines[1], "                         TO ANSWER    OPEN", "{narrow}");
        assert_eq!(lines[2], "abc-of-some-length-here  3h 0m        6d 20h", "{narrow}");
        for wide in [table(Some(80)), table(None)] {
            assert_eq!(wide.lines().count(), 2, "{wide}");
            assert!(wide.starts_with("CONTINGENT               MEDIAN TIME TO ANSWER  OLDEST OPEN"), "{wide}");
        }
    }

    #[test]
    fn no_width_means_no_limit() {
        let out = sample(false, None);
        assert!(out.contains("A rather long title that has to give way on a narrow terminal  counted"), "{out}");
        assert!(!out.contains('…'), "{out}");
    }

    #[test]
    fn escape_bytes_in_the_data_are_shown_not_painted() {
        let mut t = Table::new(&["A"], true, None);
        t.row(["x\x1b[31my"]);
        assert!(t.render().contains("x\\u{1b}[31my"), "{:?}", t.render());
    }
}
