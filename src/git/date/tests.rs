//! Tests of git's date reading: a table of inputs with the instants git 2.47 gives for them
//! (checked against the git on the machine when there is one), the forms refused, and
//! properties of the relative and exact forms.

use super::tokens::{unit_seconds, weekday};
use super::*;
use chrono::Utc;
use proptest::prelude::*;

const NOW: Timestamp = Timestamp { seconds: 1_795_255_200, offset_minutes: 0 }; // Sat 2026-11-21T10:00:00Z

fn plus2() -> FixedOffset {
    FixedOffset::east_opt(2 * 3600).unwrap()
}

/// Inputs, and what `git rev-parse --since=…` makes of them with GIT_TEST_DATE_NOW at NOW:
/// in UTC, and in a zone two hours east (TZ=<+02>-2), where it is 12:00.
const GIT: &[(&str, i64, i64)] = &[
    ("Nov 21 2026", 1795255200, 1795255200),
    ("21 Nov 2026", 1795255200, 1795255200),
    ("november 5", 1793872800, 1793872800),
    ("5 Nov", 1793872800, 1793872800),
    ("Dec 25", 1766656800, 1766656800), // last year's: a month after now's
    ("21 Nov 70", 28029600, 28029600),
    ("2026-11-21 10:00 +0200", 1795248000, 1795248000),
    ("2026-11-21 10:00:00", 1795255200, 1795248000),
    ("Thu Nov 26 18:02:37 2026 +0000", 1795716157, 1795716157),
    ("Thu, 26 Nov 2026 18:02:37 +0000", 1795716157, 1795716157),
    ("Sat Nov 21 13:00 2026", 1795266000, 1795258800),
    ("2026-11-01", 1793527200, 1793527200), // a day alone is at now's time of day
    ("2026/11/01 13:30", 1793539800, 1793532600),
    ("11/21/2026", 1795255200, 1795255200),
    ("21.11.2026", 1795255200, 1795255200),
    ("noon yesterday", 1795089600, 1795168800), // noon before 12:00 is yesterday's, then a day back
    ("yesterday noon", 1795089600, 1795168800),
    ("yesterday at noon", 1795089600, 1795168800),
    ("midnight", 1795219200, 1795212000),
    ("midnight yesterday", 1795132800, 1795125600),
    ("tea", 1795194000, 1795186800),
    ("5 pm yesterday", 1795194000, 1795186800),
    ("12 am", 1795219200, 1795212000),
    ("2026-11-21 noon", 1795176000, 1795255200),
    ("noon 2026-11-21", 1795262400, 1795255200),
    ("yesterday 10:00", 1795168800, 1795161600),
    ("3 days ago 10:00", 1794996000, 1794988800),
    ("10:00 3 days ago", 1794996000, 1794988800),
    ("last friday", 1795168800, 1795168800),
    ("last saturday", 1794650400, 1794650400),
    ("2 fridays ago", 1794564000, 1794564000),
    ("now", 1795255200, 1795255200),
    ("today", 1795255200, 1795255200),
    ("2.weeks.ago", 1794045600, 1794045600),
    ("3 days ago", 1794996000, 1794996000),
    ("two hours ago", 1795248000, 1795248000),
    ("last week", 1794650400, 1794650400),
    ("last month", 1792576800, 1792576800),
    ("1 year, 2 months ago", 1758448800, 1758448800),
    ("never", 0, 0),
    ("@1763719200", 1763719200, 1763719200),
];

#[test]
fn dates_are_read_as_git_reads_them() {
    for &(s, utc, east) in GIT {
        assert_eq!(approxidate_in(s, NOW, &Utc).map(|t| t.seconds), Some(utc), "{s:?} in UTC");
        assert_eq!(approxidate_in(s, NOW, &plus2()).map(|t| t.seconds), Some(east), "{s:?} at +02:00");
    }
}

/// What the git here makes of `s` on `--since`, with its clock at NOW; None when it has no
/// git or its git does not take GIT_TEST_DATE_NOW.
fn git_since(repo: &std::path::Path, s: &str, tz: &str) -> Option<i64> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", &format!("--since={s}")])
        .env("GIT_TEST_DATE_NOW", NOW.seconds.to_string())
        .env("TZ", tz)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    String::from_utf8(out.stdout).ok()?.trim().strip_prefix("--max-age=")?.parse().ok()
}

#[test]
fn the_table_is_what_git_here_reads() {
    let dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new("git").args(["init", "-q"]).arg(dir.path()).status();
    if !init.is_ok_and(|s| s.success()) || git_since(dir.path(), "1.hour.ago", "UTC") != Some(NOW.seconds - 3600) {
        eprintln!("no git here that takes GIT_TEST_DATE_NOW: the fixed table stands alone");
        return;
    }
    for &(s, utc, east) in GIT {
        assert_eq!(git_since(dir.path(), s, "UTC"), Some(utc), "git reads {s:?} in UTC");
        assert_eq!(git_since(dir.path(), s, "<+02>-2"), Some(east), "git reads {s:?} at +02:00");
    }
    // A weekday alone: git reads it as now (and flags it); here it is the last one.
    assert_eq!(git_since(dir.path(), "friday", "UTC"), Some(NOW.seconds));
}

fn at(s: &str) -> Option<String> {
    approxidate_in(s, NOW, &Utc).map(Timestamp::rfc3339_utc)
}

#[test]
fn a_weekday_alone_is_the_last_one() {
    assert_eq!(at("friday").as_deref(), Some("2026-11-20T10:00:00Z"));
    assert_eq!(at("Fri").as_deref(), Some("2026-11-20T10:00:00Z"));
    assert_eq!(at("saturday").as_deref(), Some("2026-11-14T10:00:00Z"), "today's weekday is a week back");
    assert_eq!(at("friday noon").as_deref(), Some("2026-11-19T12:00:00Z"), "as `last friday noon` in git");
}

#[test]
fn zones_and_offsets_are_kept() {
    let t = approxidate_in("2026-11-21 10:00 +0200", NOW, &Utc).unwrap();
    assert_eq!(t.offset_minutes, 120);
    assert_eq!(approxidate_in("2026-11-21 10:00", NOW, &plus2()).unwrap().offset_minutes, 120);
    assert_eq!(approxidate_in("yesterday", NOW, &plus2()).unwrap().offset_minutes, 120);
    assert_eq!(at("2026-11-01T13:30:05+02:00").as_deref(), Some("2026-11-01T11:30:05Z"));
    assert_eq!(at("2026.11.01T13:30:05").as_deref(), Some("2026-11-01T13:30:05Z"));
    assert_eq!(at("Nov 21 2026 10:00 -05:30").as_deref(), Some("2026-11-21T15:30:00Z"));
    assert_eq!(at("21 Nov 2026 10:00 UTC").as_deref(), Some("2026-11-21T10:00:00Z"));
    assert_eq!(at("Nov 21 2026 5:00 pm").as_deref(), Some("2026-11-21T17:00:00Z"));
}

#[test]
fn what_git_would_pass_over_or_fill_in_from_today_is_refused() {
    for bad in [
        "",
        "November",
        "Nov 2026",
        "3",
        "days ago",
        "3 fortnights weeks",
        "ago",
        "2026-13-01",
        "3 days ago ago",
        "soon",
        "a week ago",
        "5 min ago",
        "yesterday 3",
        "3 yesterday",
        "last",
        "Nov 31 2026 10:00 +0200 xyz",
        "noon +0200",
        "12/25/2026", // more than ten days ahead, and no other reading
        "Novembre 1",
        "2026-11-21 25:00",
        "dès hier",
        "0 fridays ago",
        "99999999999999999999 days ago",
    ] {
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
        let spaced = approxidate_in(&format!("{n} {name}s{tail}"), NOW, &Utc);
        let dotted = approxidate_in(&format!("{n}.{name}s{}", tail.replace(' ', ".")), NOW, &Utc);
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
    fn a_full_date_reads_the_same_in_any_order(s in 0i64..4_000_000_000, off in -12i32 * 60..=14 * 60) {
        let t = FixedOffset::east_opt(off * 60).unwrap().timestamp_opt(s, 0).unwrap();
        for f in ["%a %b %-d %H:%M:%S %Y %z", "%a, %-d %b %Y %H:%M:%S %z", "%Y-%m-%d %H:%M:%S %z", "%-d %B %Y %H:%M:%S %z"] {
            let text = t.format(f).to_string();
            prop_assert_eq!(approxidate(&text, NOW).map(|t| (t.seconds, t.offset_minutes)), Some((s, off)), "{}", text);
        }
    }

    #[test]
    fn an_iso_day_is_that_day_at_the_time_of_now(y in 1970i32..2100, m in 1u32..=12, d in 1u32..=28) {
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let t = approxidate_in(&day.format("%Y-%m-%d").to_string(), NOW, &Utc).map(Timestamp::rfc3339_utc);
        prop_assert_eq!(t, Some(day.format("%Y-%m-%dT10:00:00Z").to_string()));
    }

    #[test]
    fn any_text_is_read_or_refused_without_panic(s in "\\PC{0,30}") {
        let _ = approxidate(&s, NOW);
    }

    #[test]
    fn dates_in_words_are_read_or_refused_without_panic(
        s in "((yesterday|noon|midnight|tea|last|ago|now|today|am|pm|never|fri|nov|months?|years?|days?|[0-9]{1,4}|[0-9]{1,2}:[0-9]{2}|[0-9]{1,4}[-./][0-9]{1,2}[-./][0-9]{1,4}|[+-][0-9]{4}) ?){1,6}"
    ) {
        let _ = approxidate(&s, NOW);
        let _ = approxidate_in(&s, NOW, &plus2());
    }

    #[test]
    fn words_git_does_not_know_are_refused(w in "[a-z]{3,10}") {
        prop_assume!(unit_seconds(&w).is_none() && weekday(&w).is_none());
        prop_assume!(!["month", "months", "year", "years"].contains(&w.as_str()));
        let refused = approxidate(&format!("3 {w} ago"), NOW).is_none();
        prop_assert!(refused);
    }
}
