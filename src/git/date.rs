//! Dates as git reads them on its command line (`--since`): the exact forms of
//! [`parse_git_date`], full dates and times in any of git's orders (`Nov 21 2026 10:00`,
//! `Thu Nov 26 18:02:37 2026 +0000`, `2026-11-21 10:00 +0200`), and git's approximate ones
//! (`yesterday`, `2.weeks.ago`, `noon yesterday`, `last friday`, `Nov 21`), in `approx`.
//!
//! git's own reader (`approxidate`) accepts nearly anything and reads what it cannot
//! understand as "now" (or passes over it); this one refuses it instead, so that a typo is an
//! error rather than a silently different list. What it reads, it reads as git does, with
//! two differences: a weekday alone (`friday`) is the last one, as `last friday` (git reads
//! it as now and flags it), and a month or year without a day (`November`, `Nov 2026`), a
//! number alone (`3`) and `2026-13-01` (git: 13 January) are refused.

mod approx;
mod tokens;

use super::{parse_git_date, Timestamp};
use chrono::{FixedOffset, Local, NaiveDate, NaiveTime, Offset, TimeZone};
use tokens::Token;

/// The instant `s` names, reading relative forms against `now`; None when `s` is not a date
/// git would understand in one of these forms. Dates without a zone are in local time, as
/// git reads them.
pub fn approxidate(s: &str, now: Timestamp) -> Option<Timestamp> {
    approxidate_in(s, now, &Local)
}

/// [`approxidate`] with the local time of `zone`.
fn approxidate_in<Z: TimeZone>(s: &str, now: Timestamp, zone: &Z) -> Option<Timestamp> {
    let s = s.trim();
    // A bare number is seconds since the epoch only when it is large enough to be one (git
    // reads `3` as a day of the month, filling in the rest from today).
    if s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u64>().map_or(true, |n| n < 100_000_000) {
        return None;
    }
    if let Some(t) = parse_git_date(s) {
        return Some(t);
    }
    let tokens = tokens::tokens(s)?;
    if let Some(t) = exact(&tokens, now, zone) {
        return Some(t);
    }
    let seconds = approx::approx(&tokens, now.seconds, zone)?;
    let offset = zone.offset_from_utc_datetime(&chrono::DateTime::from_timestamp(seconds, 0)?.naive_utc());
    Some(Timestamp { seconds, offset_minutes: offset.fix().local_minus_utc() / 60 })
}

/// A full date and time, as git's exact reader takes it: a year, a month (by name or
/// number), a day and `H:M[:S]`, in any order, with an optional weekday (not checked, as git
/// does not), `AM`/`PM`, and a zone (`+0200`, `UTC`); without a zone, local time.
fn exact<Z: TimeZone>(tokens: &[Token], now: Timestamp, zone: &Z) -> Option<Timestamp> {
    let now_local = zone.timestamp_opt(now.seconds, 0).single()?.naive_local();
    let (mut year, mut month, mut day, mut time, mut offset) = (None, None, None, None, None);
    for token in tokens {
        match token {
            Token::Word(w) => match w.as_str() {
                "utc" | "gmt" | "z" => offset = offset.or(Some(0)),
                "t" => {} // between an ISO date and its time
                "am" | "pm" => {
                    let (h, m, s): (u32, u32, u32) = time?;
                    time = Some((h % 12 + if w == "pm" { 12 } else { 0 }, m, s));
                }
                w => match tokens::month(w) {
                    Some(m) => month = Some(m),
                    None => {
                        tokens::weekday(w)?;
                    }
                },
            },
            Token::Number { value, digits: 4, .. } if (1970..2100).contains(value) && year.is_none() => {
                year = Some(*value as i32)
            }
            Token::Number { value, digits: 1 | 2, .. } if (1..32).contains(value) && day.is_none() => {
                day = Some(*value as u32)
            }
            Token::Number { .. } => return None,
            Token::Joined(a, b, c, sep) => {
                let (y, m, d) = tokens::joined_day(*a, *b, *c, *sep, now_local)?;
                (year, month, day) = (y.or(year), Some(m), Some(d));
            }
            Token::Time(h, m, s) => time = Some((*h, *m, *s)),
            Token::Zone(z) => offset = Some(*z),
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (h, m, s) = time?;
    let naive = date.and_time(NaiveTime::MIN)
        + chrono::Duration::seconds(i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s));
    let t = match offset {
        Some(o) => FixedOffset::east_opt(o * 60)?.from_local_datetime(&naive).single()?.fixed_offset(),
        None => zone.from_local_datetime(&naive).earliest()?.fixed_offset(),
    };
    Some(Timestamp { seconds: t.timestamp(), offset_minutes: t.offset().local_minus_utc() / 60 })
}

#[cfg(test)]
mod tests;
