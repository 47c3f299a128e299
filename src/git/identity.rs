//! Who acts and when: author and committer identities as git computes them.

use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};

/// A point in time with the writer's UTC offset, as git stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub seconds: i64,
    pub offset_minutes: i32,
}

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp { seconds: Utc::now().timestamp(), offset_minutes: 0 }
    }
    pub fn to_datetime(self) -> DateTime<FixedOffset> {
        let off = FixedOffset::east_opt(self.offset_minutes * 60)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
        off.timestamp_opt(self.seconds, 0).single().unwrap_or_else(|| off.timestamp_opt(0, 0).single().expect("epoch"))
    }
    /// RFC 3339 in UTC, e.g. `2026-11-21T10:00:00Z`.
    pub fn rfc3339_utc(self) -> String {
        self.to_datetime().with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// A name, an email and a time: one side of a commit's authorship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
    pub when: Timestamp,
}

impl Identity {
    pub(crate) fn from_git(sig: &git2::Signature<'_>) -> Identity {
        Identity {
            name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
            when: Timestamp { seconds: sig.when().seconds(), offset_minutes: sig.when().offset_minutes() },
        }
    }
    pub(crate) fn to_git(&self) -> Result<git2::Signature<'static>> {
        let t = git2::Time::new(self.when.seconds, self.when.offset_minutes);
        git2::Signature::new(&self.name, &self.email, &t)
            .map_err(|e| anyhow!("invalid identity {} <{}>: {}", self.name, self.email, e.message()))
    }
}

impl super::Repo {
    /// The author (`role = "AUTHOR"`) or committer (`"COMMITTER"`) git would record now:
    /// `GIT_<ROLE>_NAME`/`EMAIL`/`DATE` first, then `user.name`/`user.email`, then the clock.
    pub fn identity(&self, role: &str) -> Result<Identity> {
        let env = |k: &str| std::env::var(format!("GIT_{role}_{k}")).ok().filter(|v| !v.is_empty());
        let name = env("NAME").or_else(|| self.config_string("user.name"));
        let email = env("EMAIL").or_else(|| self.config_string("user.email"));
        let (name, email) = match (name, email) {
            (Some(n), Some(e)) => (n, e),
            _ => bail!(crate::error::UserError::with_hint(
                "git does not know who you are (user.name and user.email are not set)",
                "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`, \
                 or set GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL and GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL",
            )),
        };
        let when = match env("DATE") {
            Some(d) => parse_git_date(&d).ok_or_else(|| {
                crate::error::UserError::with_hint(
                    format!("GIT_{role}_DATE={d:?} is not a date git understands"),
                    "use a form such as \"2026-11-21T10:00:00Z\" or \"@1763719200 +0000\"",
                )
            })?,
            None => Timestamp::now(),
        };
        Ok(Identity { name, email, when })
    }
}

/// The current time as git would stamp a commit: `GIT_COMMITTER_DATE` when it is set (so
/// deadlines can be checked reproducibly), else the clock.
pub fn commit_time() -> Result<Timestamp> {
    match std::env::var("GIT_COMMITTER_DATE").ok().filter(|v| !v.is_empty()) {
        Some(d) => parse_git_date(&d).ok_or_else(|| {
            crate::error::UserError::with_hint(
                format!("GIT_COMMITTER_DATE={d:?} is not a date git understands"),
                "use a form such as \"2026-11-21T10:00:00Z\" or \"@1763719200 +0000\"",
            )
            .into()
        }),
        None => Ok(Timestamp::now()),
    }
}

/// Parses the date forms git accepts in `GIT_*_DATE`: `@SECS OFF`, `SECS OFF`, RFC 3339 /
/// ISO 8601 (`T` or space), and RFC 2822.
pub fn parse_git_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let raw = s.strip_prefix('@').unwrap_or(s);
    let mut parts = raw.split_whitespace();
    if let (Some(secs), off, None) = (parts.next(), parts.next(), parts.next()) {
        if let Ok(seconds) = secs.parse::<i64>() {
            let offset_minutes = match off {
                None => 0,
                Some(o) => parse_offset(o)?,
            };
            return Some(Timestamp { seconds, offset_minutes });
        }
    }
    let from = |d: DateTime<FixedOffset>| Timestamp {
        seconds: d.timestamp(),
        offset_minutes: d.offset().local_minus_utc() / 60,
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(from(d));
    }
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z") {
        return Some(from(d));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(from(d));
    }
    None
}

fn parse_offset(o: &str) -> Option<i32> {
    let (sign, digits) = match o.as_bytes().first()? {
        b'+' => (1, &o[1..]),
        b'-' => (-1, &o[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_date_forms_parse_to_the_same_instant() {
        let a = parse_git_date("@1763719200 +0000").unwrap();
        let b = parse_git_date("2025-11-21T10:00:00Z").unwrap();
        let c = parse_git_date("2025-11-21 10:00:00 +0000").unwrap();
        assert_eq!(a.seconds, 1763719200);
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(parse_git_date("1763719200 +0130").unwrap().offset_minutes, 90);
        assert!(parse_git_date("yesterday").is_none());
    }
}
