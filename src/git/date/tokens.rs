//! The pieces of a date as git's reader sees them: numbers, `H:M[:S]` times, numbers joined
//! by `-`, `/` or `.`, `±HHMM` zones and words; plus the names git knows (months, weekdays,
//! counts) and its rules for the numbers in `2026-11-21`, `11/21/2026` and `21.11.2026`.

use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// Digits alone; `padded` when they start with a zero.
    Number { value: i64, digits: usize, padded: bool },
    /// `H:M` or `H:M:S`, checked as git checks it (hour under 25, minute under 60).
    Time(u32, u32, u32),
    /// Two or three numbers joined by one separator (`-`, `/` or `.`).
    Joined(i64, i64, Option<i64>, u8),
    /// `+0200`, `-05:30`, `+02`: minutes east of UTC.
    Zone(i32),
    /// Letters, in lower case.
    Word(String),
}

/// The pieces of `s`, or None when it holds a character no date has (git skips those; a
/// typo should be an error here).
pub(super) fn tokens(s: &str) -> Option<Vec<Token>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let (n, j) = digits(b, i)?;
            let sep = b.get(j).copied().filter(|s| b":-/.".contains(s));
            match sep {
                Some(sep) if b.get(j + 1).is_some_and(u8::is_ascii_digit) => {
                    let (n2, k) = digits(b, j + 1)?;
                    let (n3, k) = match b.get(k) {
                        Some(&s) if s == sep && b.get(k + 1).is_some_and(u8::is_ascii_digit) => {
                            let (n3, k) = digits(b, k + 1)?;
                            (Some(n3), k)
                        }
                        _ => (None, k),
                    };
                    out.push(if sep == b':' { time(n, n2, n3)? } else { Token::Joined(n, n2, n3, sep) });
                    i = k;
                }
                _ => {
                    out.push(Token::Number { value: n, digits: j - i, padded: c == b'0' });
                    i = j;
                }
            }
        } else if c.is_ascii_alphabetic() {
            let j = i + b[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
            out.push(Token::Word(s[i..j].to_ascii_lowercase()));
            i = j;
        } else if (c == b'+' || c == b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let (zone, j) = zone(b, i)?;
            out.push(Token::Zone(zone));
            i = j;
        } else if c.is_ascii_whitespace() || b",._/-:()".contains(&c) {
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// The number in the digits from `i`, and where they end.
fn digits(b: &[u8], i: usize) -> Option<(i64, usize)> {
    let j = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let n = std::str::from_utf8(&b[i..j]).ok()?.parse().ok()?;
    Some((n, j))
}

fn time(h: i64, m: i64, s: Option<i64>) -> Option<Token> {
    let s = s.unwrap_or(0);
    let ok = (0..25).contains(&h) && (0..60).contains(&m) && (0..=60).contains(&s);
    ok.then_some(Token::Time(h as u32, m as u32, s as u32))
}

/// `±HHMM`, `±HH:MM` or `±HH` from `i` (the sign), as minutes east, and where it ends.
fn zone(b: &[u8], i: usize) -> Option<(i32, usize)> {
    let sign = if b[i] == b'-' { -1 } else { 1 };
    let (n, j) = digits(b, i + 1)?;
    let (hours, minutes, end) = match j - i - 1 {
        4 => (n / 100, n % 100, j),
        2 if b.get(j) == Some(&b':') => {
            let (m, k) = digits(b, j + 1).filter(|(_, k)| k - j == 3)?;
            (n, m, k)
        }
        2 => (n, 0, j),
        _ => return None,
    };
    if hours > 14 || minutes >= 60 {
        return None;
    }
    Some((sign * (hours * 60 + minutes) as i32, end))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = ["sundays", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays"];

/// Does `word` name `name` as git matches names: at least `least` letters of it, no more.
fn abbreviates(word: &str, name: &str, least: usize) -> bool {
    word.len() >= least && name.starts_with(word)
}

/// The month (1 to 12) a word names: `nov`, `Novem`, `November`.
pub(super) fn month(word: &str) -> Option<u32> {
    MONTHS.iter().position(|m| abbreviates(word, m, 3)).map(|i| i as u32 + 1)
}

/// The weekday (0 for Sunday) a word names: `fri`, `friday`, `fridays`.
pub(super) fn weekday(word: &str) -> Option<u32> {
    WEEKDAYS.iter().position(|d| abbreviates(word, d, 3)).map(|i| i as u32)
}

/// A count git reads in words (`one` to `ten`).
pub(super) fn count(word: &str) -> Option<i64> {
    const NAMES: [&str; 10] = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    NAMES.iter().position(|n| *n == word).map(|i| i as i64 + 1)
}

/// The seconds in a unit git counts in seconds: `day` or `days`, and so on (months and years
/// are counted on the calendar).
pub(super) fn unit_seconds(word: &str) -> Option<i64> {
    let unit = word.strip_suffix('s').unwrap_or(word);
    Some(match unit {
        "second" => 1,
        "minute" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        _ => return None,
    })
}

/// A day git's reader knows: (year if it was given, month, day).
pub(super) type Day = (Option<i32>, u32, u32);

/// The day in `a SEP b [SEP c]`, tried in git's order: `Y-M-D`, `Y-D-M` is not taken (a
/// typo'd month more likely than a reversed date), then `M/D/Y` (not with dots), `D.M.Y` or
/// `D/M/Y`, and `M.D.Y`. Apart from `Y-M-D`, a day more than ten days after `now` is taken to
/// be another reading, as git does. None when no reading is a day.
pub(super) fn joined_day(a: i64, b: i64, c: Option<i64>, sep: u8, now: NaiveDateTime) -> Option<Day> {
    let c = c.unwrap_or(-1);
    let day = |y: i64, m: i64, d: i64, refuse_future: bool| -> Option<Day> {
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let year = match y {
            -1 => None,
            1970..=2099 => Some(y as i32),
            71..=99 => Some(1900 + y as i32),
            0..=37 => Some(2000 + y as i32),
            _ => return None,
        };
        if refuse_future {
            let y = year.unwrap_or(chrono::Datelike::year(&now));
            let first = NaiveDate::from_ymd_opt(y, m as u32, 1)?;
            let at = first.checked_add_days(chrono::Days::new(d as u64 - 1))?.and_time(now.time());
            if at > now + chrono::Duration::days(10) {
                return None;
            }
        }
        Some((year, m as u32, d as u32))
    };
    let year_first = if a > 70 { day(a, b, c, false) } else { None };
    year_first
        .or_else(|| if sep != b'.' { day(c, a, b, true) } else { None })
        .or_else(|| day(c, b, a, true))
        .or_else(|| if sep == b'.' { day(c, a, b, true) } else { None })
}
