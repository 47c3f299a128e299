//! How a point in time is written for people: one format everywhere.

/// A time as every command writes it in text output, tables and prose alike: RFC 3339 in
/// UTC, to the second, with a `Z` (`2026-12-03T17:42:55Z`).
///
/// The one rule, with no shorter form for narrow columns: it is the string JSON output
/// holds, git writes and `--deadline` accepts, so what a reader copies from a table or a
/// message can be pasted back and searched for; it never drops the seconds a deadline may
/// have (a deadline shown as 17:42 that falls at 17:42:55 would be wrong by most of a
/// minute), and it names its zone. In a table the column keeps it whole: free-text columns
/// give way instead. Dates that are dates (an article's, a version's day) stay `YYYY-MM-DD`.
///
/// It takes seconds since the epoch, a [`chrono::DateTime<Utc>`], a [`crate::git::Timestamp`]
/// (shown in UTC whatever its offset), or a stored RFC 3339 string (a field of JSON output),
/// which is written out again by this rule; a string that is not one is shown as it is.
pub fn time<T: AsTime + ?Sized>(t: &T) -> String {
    match t.utc() {
        Ok(d) => d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(raw) => raw,
    }
}

/// What [`time`] can write: a point in time, or, when it is none, the text to show instead.
pub trait AsTime {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String>;
}

impl AsTime for i64 {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String> {
        // Beyond chrono's range (hundreds of millennia): git's raw form.
        chrono::DateTime::from_timestamp(*self, 0).ok_or_else(|| format!("@{self}"))
    }
}

impl AsTime for chrono::DateTime<chrono::Utc> {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String> {
        Ok(*self)
    }
}

impl AsTime for crate::git::Timestamp {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String> {
        self.seconds.utc()
    }
}

impl AsTime for str {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String> {
        chrono::DateTime::parse_from_rfc3339(self).map(|d| d.with_timezone(&chrono::Utc)).map_err(|_| self.to_string())
    }
}

impl AsTime for String {
    fn utc(&self) -> Result<chrono::DateTime<chrono::Utc>, String> {
        self.as_str().utc()
    }
}
