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

/// The narrowest a free-text column may get before the table is read as records (one line
/// per field, see [`Table::render`]): a dozen characters, two or three words. Narrower, an
/// author is `Rosa…` and a summary `the…`, which says nothing; records say it all.
const READABLE_FREE_TEXT: u16 = 12;

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

impl Tone {
    /// The SGR code of the tone (the plain colours `Style::paint` writes elsewhere).
    fn sgr(self) -> &'static str {
        match self {
            Tone::Bold => "1",
            Tone::Dim => "2",
            Tone::Red => "31",
            Tone::Green => "32",
            Tone::Yellow => "33",
            Tone::Cyan => "36",
            Tone::Magenta => "35",
        }
    }
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

    /// The comfy-table cell; with `clip`, the text cut just past that many columns (see
    /// [`clipped`]).
    fn render(&self, clip: Option<usize>) -> comfy_table::Cell {
        let cell = comfy_table::Cell::new(match clip {
            Some(cols) => clipped(&self.text, cols),
            None => &self.text,
        });
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
    ///
    /// On a terminal too narrow for the table's ids and numbers with its free text at the
    /// narrowest, each row is printed as a record instead, one line per field under its
    /// header, records apart by a blank line (as `psql` does in its expanded mode): nothing
    /// is cut, no line runs over, and free text wraps between words.
    pub fn render(&self) -> String {
        if let Some(width) = self.width.filter(|w| self.readable_width() > *w) {
            return self.render_records(width);
        }
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
        t.set_header(one_line(self.headers.iter().map(|h| Cell::toned(h, Tone::Bold).render(None)).collect()));
        // Free text cut to one line is cut here first, just past the terminal's width: comfy-table
        // splits a long word in time quadratic in its length (a title or name of a megabyte
        // of one word held `versions` for minutes), and shows no more of it than that.
        let clip = |i: usize| {
            let free = self.free.get(i).copied().unwrap_or(false);
            self.width.filter(|_| free && !self.wrap).map(usize::from)
        };
        for r in &self.rows {
            t.add_row(one_line(r.iter().enumerate().map(|(i, c)| c.render(clip(i))).collect()));
        }
        let widths = t.column_max_content_widths();
        let narrowed = self.narrowed_headers(&widths);
        if narrowed.iter().any(Option::is_some) {
            t.set_header(Row::from(
                self.headers.iter().map(|h| Cell::toned(h, Tone::Bold).render(None)).collect::<Vec<_>>(),
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
    /// The width of each column's widest cell, header included.
    fn content_widths(&self) -> Vec<u16> {
        let w = |s: &str| u16::try_from(unicode_width::UnicodeWidthStr::width(s)).unwrap_or(u16::MAX);
        (0..self.headers.len())
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| w(&c.text))
                    .chain([w(&self.headers[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The narrowest the table reads well as a table: fixed columns whole (a header of
    /// several words on two lines where that helps), free text at [`READABLE_FREE_TEXT`].
    fn readable_width(&self) -> u16 {
        let widths = self.content_widths();
        let narrowed = self.two_line_headers(&widths);
        let mut total = 2 * self.headers.len().saturating_sub(1) as u16;
        for (i, full) in widths.iter().enumerate() {
            total = total.saturating_add(if self.free[i] {
                (*full).min(READABLE_FREE_TEXT)
            } else {
                narrowed[i].unwrap_or(*full)
            });
        }
        total
    }

    /// Each row as a record: `HEADER  value` lines, values aligned, free text wrapped to
    /// `width` between words (ids and numbers stay whole), empty fields left out.
    fn render_records(&self, width: u16) -> String {
        let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let label = self.headers.iter().map(|h| w(h)).max().unwrap_or(0) + 2;
        let room = usize::from(width).saturating_sub(label).max(FREE_TEXT_FLOOR.into());
        let paint = |sgr: &str, s: &str| if self.color { format!("\x1b[{sgr}m{s}\x1b[0m") } else { s.to_string() };
        let mut records = Vec::new();
        for row in &self.rows {
            let mut lines = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                if cell.text.is_empty() {
                    continue;
                }
                let header = self.headers.get(i).map(String::as_str).unwrap_or("");
                let pieces = if self.free.get(i).copied().unwrap_or(false) {
                    wrap_words(&cell.text, room)
                } else {
                    vec![cell.text.clone()]
                };
                for (n, piece) in pieces.iter().enumerate() {
                    let head = if n == 0 { paint("1", header) } else { String::new() };
                    let pad = " ".repeat(label - if n == 0 { w(header) } else { 0 });
                    let value = match cell.tone {
                        Some(t) => paint(t.sgr(), piece),
                        None => piece.clone(),
                    };
                    lines.push(format!("{head}{pad}{value}").trim_end().to_string());
                }
            }
            records.push(lines.join("\n"));
        }
        records.join("\n\n")
    }

    /// When the table is wider than the terminal even with its free text at the narrowest,
    /// the fixed columns whose header of several words is wider than their cells: each
    /// narrowed to its widest cell or to its header on two lines, whichever is wider
    /// ("MEDIAN TIME" over "TO ANSWER" over "3h 0m"). A header of one word, and every cell,
    /// stays whole. None for the others (and for all, when the table fits).
    fn narrowed_headers(&self, widths: &[u16]) -> Vec<Option<u16>> {
        let none = vec![None; self.headers.len()];
        let Some(width) = self.width else { return none };
        let mut natural = 2 * self.headers.len().saturating_sub(1) as u16;
        for (i, full) in widths.iter().enumerate() {
            natural += if self.free[i] { (*full).min(FREE_TEXT_FLOOR) } else { *full };
        }
        if natural <= width {
            return none;
        }
        self.two_line_headers(widths)
    }

    /// For each fixed column whose header of several words is wider than its cells, the
    /// width with the header on two lines (split at its best space) or its widest cell,
    /// whichever is wider; None for the others.
    fn two_line_headers(&self, widths: &[u16]) -> Vec<Option<u16>> {
        let w = |s: &str| u16::try_from(unicode_width::UnicodeWidthStr::width(s)).unwrap_or(u16::MAX);
        let cells = |i: usize| self.rows.iter().filter_map(|r| r.get(i)).map(|c| w(&c.text)).max().unwrap_or(0);
        self.headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let full = widths.get(i).copied().unwrap_or(0);
                if self.free[i] || !h.contains(' ') {
                    return None;
                }
                let two_lines =
                    h.match_indices(' ').map(|(at, _)| w(&h[..at]).max(w(&h[at + 1..]))).min().unwrap_or(full);
                let need = cells(i).max(two_lines);
                (need < full).then_some(need)
            })
            .collect()
    }
}

/// `text` up to and including its first character past `cols` columns: all of it when it
/// fits, and otherwise still wider than `cols`, so that a column of at most `cols` cuts it
/// and ends it in `…` as it would the whole text.
fn clipped(text: &str, cols: usize) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > cols {
            return &text[..at + c.len_utf8()];
        }
    }
    text
}

/// `text` in lines of at most `width` columns, broken between words (a word wider than
/// `width` stands alone on its line, whole).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && w(&line) + 1 + w(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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
        let out = sample(false, Some(64));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[1].starts_with("a-rather-long-slug-that-must-stay-whole  A rather"), "{out}");
        assert!(lines[1].contains("…  counted"), "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= 64), "{out}");
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

    /// Narrower than the ids with a readable title, each row is a record: nothing cut, no
    /// line over the width, free text wrapped between words.
    #[test]
    fn a_table_too_wide_for_its_ids_becomes_records() {
        let out = sample(false, Some(50));
        assert_eq!(
            out,
            "SLUG    a-rather-long-slug-that-must-stay-whole\n\
             TITLE   A rather long title that has to give way\n        \
             on a narrow terminal\n\
             STATUS  counted\n\
             \n\
             SLUG    short\n\
             TITLE   Short\n\
             STATUS  EXCLUDED"
        );
        assert!(out.lines().all(|l| l.chars().count() <= 50), "{out}");
        // Room for the ids and a dozen characters of title: a table again; one less, records
        // (a title cut to `A ra…` says nothing).
        assert_eq!(sample(false, Some(63)).lines().count(), 3);
        assert!(sample(false, Some(62)).starts_with("SLUG    a-rather-long-slug"), "{}", sample(false, Some(62)));
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
