//! git's approximate reading of a date (`approxidate`): a calendar time that starts as "now"
//! and that each word moves (`yesterday`, `3 days ago`, `last friday`, `noon`) or sets (`Nov`,
//! `21`, `2026`, `10:00`), in the order git applies them, so that `noon yesterday` or
//! `2026-11-21 noon` land where git puts them. Words git would skip are refused.

use super::tokens::{count, joined_day, month, unit_seconds, weekday, Token};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeZone, Timelike};

/// A calendar time being built, as git's `struct tm`: the day's fields are None until named
/// or filled in from now; the time of day starts as now's. The day of the month may pass the
/// month's end (`Mar 31` a month back), which rolls over as `mktime` rolls it.
#[derive(Clone, Copy)]
struct Tm {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: u32,
}

/// The calendar around the reading: its zone and now.
struct Clock<'z, Z: TimeZone> {
    zone: &'z Z,
    now: Tm,
}

/// The calendar in `zone` at `seconds` since the epoch, every field filled in.
fn local<Z: TimeZone>(zone: &Z, seconds: i64) -> Option<Tm> {
    let t: DateTime<Z> = zone.timestamp_opt(seconds, 0).single()?;
    Some(Tm {
        year: Some(t.year()),
        month: Some(t.month()),
        day: Some(t.day()),
        hour: t.hour(),
        minute: t.minute(),
        second: t.second(),
        weekday: t.weekday().num_days_from_sunday(),
    })
}

impl<Z: TimeZone> Clock<'_, Z> {
    /// The instant `tm` names, its missing day filled in from now (a month after now's is
    /// last year's), in seconds since the epoch.
    fn seconds(&self, tm: &mut Tm) -> Option<i64> {
        let day = *tm.day.get_or_insert(self.now.day?);
        let month = *tm.month.get_or_insert(self.now.month?);
        let year = *tm.year.get_or_insert(self.now.year? - i32::from(month > self.now.month?));
        let date = NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_days(Days::new(u64::from(day) - 1))?;
        let naive = date.and_hms_opt(0, 0, 0)?
            + chrono::Duration::seconds(i64::from(tm.hour) * 3600 + i64::from(tm.minute) * 60 + i64::from(tm.second));
        let t = self.zone.from_local_datetime(&naive);
        // In a gap (clocks put forward), the hour after, as mktime reads it.
        let t =
            t.earliest().or_else(|| self.zone.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())?;
        Some(t.timestamp())
    }

    /// git's `update_tm`: fill in the day, go back `back` seconds, and read the calendar there.
    fn back(&self, tm: &mut Tm, back: i64) -> Option<()> {
        let at = self.seconds(tm)?.checked_sub(back)?;
        *tm = local(self.zone, at)?;
        Some(())
    }

    /// `noon`, `midnight`, `tea`: the last time the clock showed `hour` (yesterday's when the
    /// time being built is earlier in the day).
    fn at_hour(&self, tm: &mut Tm, hour: u32) -> Option<()> {
        if tm.hour < hour {
            self.back(tm, 86_400)?;
        }
        (tm.hour, tm.minute, tm.second) = (hour, 0, 0);
        Some(())
    }
}

/// What the words named so far, for refusing a reading git would fill in from today.
#[derive(Default)]
struct Named {
    something: bool,
    month_or_year: bool,
    day: bool,
    /// The number waiting is a word (`last`, `two`), which git would read as a day.
    spelled: bool,
}

/// A number waiting for its word (`3` in `3 days`); without one, a day, month or year.
fn pending(tm: &mut Tm, num: &mut Option<i64>, named: &mut Named) -> Option<()> {
    let Some(n) = num.take() else { return Some(()) };
    if named.spelled {
        return None;
    }
    if tm.day.is_none() && (1..32).contains(&n) {
        tm.day = Some(n as u32);
        named.day = true;
    } else if tm.month.is_none() && (1..13).contains(&n) {
        tm.month = Some(n as u32);
        named.month_or_year = true;
    } else if tm.year.is_none() {
        tm.year = Some(match n {
            1970..=2099 => n as i32,
            70..=99 => 1900 + n as i32,
            1..=37 => 2000 + n as i32,
            _ => return None,
        });
        named.month_or_year = true;
    } else {
        return None; // git would ignore it
    }
    Some(())
}

/// The instant `tokens` name read as git's approxidate reads them, against `now` in `zone`;
/// None when a word is one git would skip, a number is left over, nothing names a date, or
/// a month or year is named without its day.
pub(super) fn approx<Z: TimeZone>(tokens: &[Token], now: i64, zone: &Z) -> Option<i64> {
    let clock = Clock { zone, now: local(zone, now)? };
    let now_naive = NaiveDateTime::new(
        NaiveDate::from_ymd_opt(clock.now.year?, clock.now.month?, clock.now.day?)?,
        chrono::NaiveTime::from_hms_opt(clock.now.hour, clock.now.minute, clock.now.second)?,
    );
    let mut tm = Tm { year: None, month: None, day: None, ..clock.now };
    let mut num: Option<i64> = None;
    let mut named = Named::default();
    let mut after_unit = false;
    for token in tokens {
        let was_unit = std::mem::take(&mut after_unit);
        match token {
            Token::Number { value, digits, padded } => {
                pending(&mut tm, &mut num, &mut named)?;
                if *padded && *digits > 2 || *value > i64::from(i32::MAX) {
                    return None; // git skips `0200`, and cannot count so far
                }
                num = Some(*value);
                named.something = true;
            }
            Token::Time(h, m, s) => {
                pending(&mut tm, &mut num, &mut named)?;
                (tm.hour, tm.minute, tm.second) = (*h, *m, *s);
                named.something = true;
            }
            Token::Joined(a, b, c, sep) => {
                pending(&mut tm, &mut num, &mut named)?;
                let (year, m, d) = joined_day(*a, *b, *c, *sep, now_naive)?;
                (tm.month, tm.day) = (Some(m), Some(d));
                tm.year = year.or(tm.year);
                named.day = true;
                named.something = true;
            }
            Token::Zone(_) => return None, // git reads a zone only in a full date and time
            Token::Word(w) => {
                if let Some(m) = month(w) {
                    tm.month = Some(m);
                    named.month_or_year = true;
                } else {
                    after_unit = word(&clock, &mut tm, &mut num, &mut named, w, was_unit)?;
                }
                named.something = true;
            }
        }
    }
    pending(&mut tm, &mut num, &mut named)?;
    if !named.something || named.month_or_year && !named.day {
        return None;
    }
    clock.seconds(&mut tm)
}

/// Applies a word other than a month's name; Some(true) when it was a unit that `ago` may
/// follow.
fn word<Z: TimeZone>(
    clock: &Clock<Z>,
    tm: &mut Tm,
    num: &mut Option<i64>,
    named: &mut Named,
    w: &str,
    was_unit: bool,
) -> Option<bool> {
    match w {
        "yesterday" | "now" if num.is_none() => clock.back(tm, if w == "now" { 0 } else { 86_400 })?,
        "noon" | "midnight" | "tea" => {
            pending(tm, num, named)?;
            clock.at_hour(tm, [("noon", 12), ("midnight", 0), ("tea", 17)].iter().find(|(n, _)| *n == w)?.1)?;
        }
        "am" | "pm" => {
            let hour = match num.take() {
                Some(n @ 0..=12) => {
                    (tm.minute, tm.second) = (0, 0);
                    n as u32
                }
                Some(_) => return None,
                None => tm.hour,
            };
            tm.hour = hour % 12 + if w == "pm" { 12 } else { 0 };
        }
        "never" if num.is_none() => *tm = local(clock.zone, 0)?,
        // Words git passes over: `today` is now, `at` and `and` join.
        "today" | "at" | "and" if num.is_none() => {}
        "ago" if was_unit && num.is_none() => {}
        "last" if num.is_none() => (*num, named.spelled) = (Some(1), true),
        _ if num.is_none() && count(w).is_some() => (*num, named.spelled) = (count(w), true),
        _ => {
            // A bare weekday is the last one (git reads it as now, and flags it).
            named.spelled = false;
            let n = match num.take() {
                Some(n) => n,
                None if weekday(w).is_some() => 1,
                None => return None,
            };
            if let Some(seconds) = unit_seconds(w) {
                clock.back(tm, n.checked_mul(seconds)?)?;
            } else if let (Some(day), true) = (weekday(w), n > 0) {
                let mut diff = i64::from(tm.weekday) - i64::from(day);
                let weeks = if diff <= 0 { n } else { n - 1 };
                diff += 7 * weeks;
                clock.back(tm, diff.checked_mul(86_400)?)?;
            } else if w == "month" || w == "months" {
                clock.back(tm, 0)?;
                let months = i64::from(tm.year?) * 12 + i64::from(tm.month?) - 1 - n;
                tm.year = Some(i32::try_from(months.div_euclid(12)).ok()?);
                tm.month = Some(months.rem_euclid(12) as u32 + 1);
            } else if w == "year" || w == "years" {
                clock.back(tm, 0)?;
                tm.year = Some(tm.year?.checked_sub(i32::try_from(n).ok()?)?);
            } else {
                return None;
            }
            return Some(true);
        }
    }
    Some(false)
}
