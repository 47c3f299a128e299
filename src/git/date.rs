//! Dates as git reads them on its command line (`--since`): the exact forms of
//! [`parse_git_date`], ISO dates, and git's relative ones (`yesterday`, `2.weeks.ago`,
//! `3 days ago`, `last month`).
//!
//! git's own reader (`approxidate`) accepts nearly anything and reads what it cannot
//! understand as "now"; this one refuses it instead, so that a typo is an error rather than
//! a silently different list.

use super::{parse_git_date, Timestamp};
use chrono::{DateTime, Local, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The instant `s` names, reading relative forms against `now`; None when `s` is not a date
/// git would understand in one of these forms. Dates without a zone are in local time, as
/// git reads them (a date alone is its midnight).
pub fn approxidate(s: &str, now: Timestamp) -> Option<Timestamp> {
    let s = s.trim();
    // A bare number is seconds since the epoch only when it is large enough to be one (git
    // reads `3` as a day of the month, which alone names no date).
    if s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u64>().map_or(true, |n| n < 100_000_000) {
        return None;
    }
    parse_git_date(s).or_else(|| local_date(s)).or_else(|| relative(s, now))
}

/// `YYYY-MM-DD` (or with `.` or `/`), optionally with a time `HH:MM[:SS]` after a `T` or a
/// space, in local time.
fn local_date(s: &str) -> Option<Timestamp> {
    let (day, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let day = ["%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d"].iter().find_map(|f| NaiveDate::parse_from_str(day, f).ok())?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(t, "%H:%M")).ok()?,
    };
    let local = Local.from_local_datetime(&NaiveDateTime::new(day, time)).earliest()?;
    Some(Timestamp { seconds: local.timestamp(), offset_minutes: local.offset().local_minus_utc() / 60 })
}

/// How far back a relative date goes: seconds, and calendar months (a month or a year back
/// is the same day of an earlier month, as git counts).
#[derive(Default)]
struct Back {
    seconds: i64,
    months: u32,
}

/// `now`, `today`, `yesterday`, and sums of `N unit` (`3 days`, `2.weeks`, `1 year 2
/// months`), with an optional `ago`; `last unit` is one of it. Words are separated by
/// spaces, dots or commas, in any case.
fn relative(s: &str, now: Timestamp) -> Option<Timestamp> {
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower.split([' ', '\t', '.', ',', '_']).filter(|w| !w.is_empty()).collect();
    let mut back = Back::default();
    let mut count: Option<i64> = None;
    let mut anything = false;
    for (i, word) in words.iter().enumerate() {
        if let Some(n) = number(word) {
            if count.is_some() {
                return None; // two numbers in a row
            }
            count = Some(n);
            continue;
        }
        match *word {
            "now" | "today" if count.is_none() => anything = true,
            "yesterday" if count.is_none() => {
                back.seconds = back.seconds.checked_add(86_400)?;
                anything = true;
            }
            "last" if count.is_none() => count = Some(1),
            "ago" if count.is_none() && anything && i + 1 == words.len() => {}
            unit => {
                let n = count.take()?;
                let (seconds, months) = unit_size(unit)?;
                back.seconds = back.seconds.checked_add(n.checked_mul(seconds)?)?;
                back.months = back.months.checked_add(u32::try_from(n.checked_mul(months)?).ok()?)?;
                anything = true;
            }
        }
    }
    if count.is_some() || !anything {
        return None; // a number without its unit, or no date at all
    }
    let at = DateTime::<Utc>::from_timestamp(now.seconds.checked_sub(back.seconds)?, 0)?;
    let at = at.checked_sub_months(Months::new(back.months))?;
    Some(Timestamp { seconds: at.timestamp(), offset_minutes: now.offset_minutes })
}

/// A count in digits, or one of the words git knows.
fn number(word: &str) -> Option<i64> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    const NAMES: [&str; 11] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    NAMES.iter().position(|n| *n == word).map(|i| i as i64).or(match word {
        "a" | "an" => Some(1),
        _ => None,
    })
}

/// A unit's length: (seconds, months).
fn unit_size(unit: &str) -> Option<(i64, i64)> {
    let unit = unit.strip_suffix('s').filter(|u| u.len() > 1).unwrap_or(unit);
    Some(match unit {
        "second" | "sec" => (1, 0),
        "minute" | "min" => (60, 0),
        "hour" => (3_600, 0),
        "day" => (86_400, 0),
        "week" => (7 * 86_400, 0),
        "fortnight" => (14 * 86_400, 0),
        "month" => (0, 1),
        "year" => (0, 12),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Timestamp = Timestamp { seconds: 1_795_255_200, offset_minutes: 0 }; // 2026-11-21T10:00:00Z

    fn at(s: &str) -> Option<String> {
        approxidate(s, NOW).map(Timestamp::rfc3339_utc)
    }

    /// A local time, as RFC 3339 in UTC (the machine's zone is whatever it is).
    fn local(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> Option<String> {
        let naive = NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(h, min, s)?;
        let t = Local.from_local_datetime(&naive).earliest()?;
        Some(Timestamp { seconds: t.timestamp(), offset_minutes: 0 }.rfc3339_utc())
    }

    #[test]
    fn the_forms_git_accepts_are_read() {
        assert_eq!(at("yesterday").as_deref(), Some("2026-11-20T10:00:00Z"));
        assert_eq!(at("now").as_deref(), Some("2026-11-21T10:00:00Z"));
        assert_eq!(at("2.weeks.ago").as_deref(), Some("2026-11-07T10:00:00Z"));
        assert_eq!(at("3 days ago").as_deref(), Some("2026-11-18T10:00:00Z"));
        assert_eq!(at("3 Days").as_deref(), Some("2026-11-18T10:00:00Z"));
        assert_eq!(at("1 week, 2 days ago").as_deref(), Some("2026-11-12T10:00:00Z"));
        assert_eq!(at("last month").as_deref(), Some("2026-10-21T10:00:00Z"));
        assert_eq!(at("1.year.ago").as_deref(), Some("2025-11-21T10:00:00Z"));
        assert_eq!(at("two hours ago").as_deref(), Some("2026-11-21T08:00:00Z"));
        assert_eq!(at("2026-11-01"), local(2026, 11, 1, 0, 0, 0));
        assert_eq!(at("2026/11/01 13:30"), local(2026, 11, 1, 13, 30, 0));
        assert_eq!(at("2026.11.01T13:30:05"), local(2026, 11, 1, 13, 30, 5));
        assert_eq!(at("2026-11-01T13:30:05+02:00").as_deref(), Some("2026-11-01T11:30:05Z"));
        assert_eq!(at("@1763719200").as_deref(), Some("2025-11-21T10:00:00Z"));
        for bad in
            ["", "November", "3", "days ago", "3 fortnights weeks", "ago", "2026-13-01", "3 days ago ago", "soon"]
        {
            assert_eq!(at(bad), None, "{bad:?}");
        }
    }

    fn unit() -> impl Strategy<Value = (&'static str, i64)> {
        prop_oneof![
            Just(("second", 1)),
            Just(("minute", 60)),
            Just(("hour", 3_600)),
            Just(("day", 86_400)),
            Just(("week", 604_800)),
        ]
    }

    proptest! {
        #[test]
        fn dotted_and_spaced_relative_dates_agree(n in 0i64..100_000, (name, size) in unit(), ago: bool) {
            let tail = if ago { " ago" } else { "" };
            let spaced = approxidate(&format!("{n} {name}s{tail}"), NOW);
            let dotted = approxidate(&format!("{n}.{name}s{}", tail.replace(' ', ".")), NOW);
            prop_assert_eq!(spaced, dotted);
            prop_assert_eq!(spaced.map(|t| t.seconds), Some(NOW.seconds - n * size));
        }

        #[test]
        fn seconds_since_the_epoch_are_exact(s in -10_000_000_000i64..100_000_000_000) {
            prop_assert_eq!(approxidate(&format!("@{s}"), NOW).map(|t| t.seconds), Some(s));
        }

        #[test]
        fn an_rfc3339_instant_reads_back(s in 0i64..100_000_000_000) {
            let t = Timestamp { seconds: s, offset_minutes: 0 };
            prop_assert_eq!(approxidate(&t.rfc3339_utc(), NOW).map(|t| t.seconds), Some(s));
        }

        #[test]
        fn an_iso_day_is_its_own_midnight(y in 1970i32..9999, m in 1u32..=12, d in 1u32..=28) {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let t = approxidate(&day.format("%Y-%m-%d").to_string(), NOW).map(Timestamp::rfc3339_utc);
            prop_assert_eq!(t, local(y, m, d, 0, 0, 0));
        }

        #[test]
        fn any_text_is_read_or_refused_without_panic(s in "\\PC{0,30}") {
            let _ = approxidate(&s, NOW);
        }

        #[test]
        fn words_git_does_not_know_are_refused(w in "[a-z]{3,10}") {
            prop_assume!(unit_size(&w).is_none() && number(&w).is_none());
            prop_assume!(!["now", "today", "yesterday", "last", "ago"].contains(&w.as_str()));
            let refused = approxidate(&format!("3 {w} ago"), NOW).is_none();
            prop_assert!(refused);
        }
    }
}
