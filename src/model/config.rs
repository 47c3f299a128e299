//! `tribune.toml`: the organisation's name, its trunk branch, its defaults and its rules.

use crate::error::UserError;
use crate::model::vote::{Basis, Ratio};
use serde::{Deserialize, Serialize};

pub const DEFAULT_DIMENSIONS: [&str; 3] = ["politics", "newsworthy", "accuracy"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Config {
    /// Version of the on-disk format this commons was written with.
    pub format: u32,
    /// The organisation's name, used in signatures ("… contingent of <name>").
    pub name: String,
    /// The trunk branch.
    pub trunk: String,
    pub voting: Voting,
    pub ratings: Ratings,
    /// The language the commons writes in by default (a BCP 47 tag, such as `fr`): what
    /// an exported page declares when the text does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `[rules]`: the floors every joint statement must meet, and who admits members. As
    /// written; [`Config::rules`] reads it (a missing key is its default).
    #[serde(default, skip_serializing_if = "RulesText::is_empty")]
    pub rules: RulesText,
}

/// `[rules]` as written: every key optional, unknown keys refused (a misspelt floor must not
/// silently be no floor).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_threshold: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_quorum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub double_majority: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<String>,
}

impl RulesText {
    fn is_empty(&self) -> bool {
        self == &RulesText::default()
    }
}

/// Who admits and removes the members of a contingent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Admission {
    /// A member of that contingent.
    Contingent,
    /// Only an approved joint statement.
    Statement,
}

/// The organisation's rules, read: the floors of joint statements (a proposal may be
/// stricter, never looser) and who admits members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// The lowest threshold a statement may have.
    pub min_threshold: Ratio,
    /// The lowest quorum.
    pub min_quorum: Ratio,
    /// The shortest voting period, from the proposal commit to the deadline (seconds).
    pub min_period: u64,
    /// The weakest basis: `cast` allows either, `members` only `members`.
    pub min_basis: Basis,
    /// Every statement must pass by a double majority, of members and of contingents.
    pub double_majority: bool,
    /// Who admits and removes members.
    pub members: Admission,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            min_threshold: Ratio { p: 2, q: 3 },
            min_quorum: Ratio { p: 1, q: 2 },
            min_period: 24 * 3600,
            min_basis: Basis::Cast,
            double_majority: false,
            members: Admission::Contingent,
        }
    }
}

impl Rules {
    /// The table `init` writes: every key, at its default.
    pub fn text(&self) -> RulesText {
        RulesText {
            min_threshold: Some(self.min_threshold.to_string()),
            min_quorum: Some(self.min_quorum.to_string()),
            min_period: Some(format_period(self.min_period)),
            min_basis: Some(self.min_basis.to_string()),
            double_majority: Some(self.double_majority),
            members: Some(match self.members {
                Admission::Contingent => "contingent".into(),
                Admission::Statement => "statement".into(),
            }),
        }
    }

    /// Reads `[rules]`; `source`, the whole tribune.toml, places an error on its line.
    pub fn read(t: &RulesText, source: Option<&str>) -> Result<Rules, UserError> {
        let d = Rules::default();
        let at = |key: &str, e: UserError| {
            let line = source.map(|s| rules_line(s, key)).unwrap_or(1);
            UserError {
                message: format!("tribune.toml:{line}: {} ([rules] {key})", e.message),
                hint: Some(format!(
                    "{}; fix tribune.toml with a commit on the trunk (`man 5 tribune-format`, TRIBUNE.TOML)",
                    e.hint.unwrap_or_default()
                )),
            }
        };
        let ratio = |key: &str, what: &str, v: &Option<String>, default: Ratio| match v {
            Some(v) => Ratio::parse(what, v).map_err(|e| at(key, e)),
            None => Ok(default),
        };
        let min_threshold = ratio("min_threshold", "minimum threshold", &t.min_threshold, d.min_threshold)?;
        let min_quorum = ratio("min_quorum", "minimum quorum", &t.min_quorum, d.min_quorum)?;
        let min_period = match &t.min_period {
            Some(v) => parse_period(v).map_err(|m| {
                at("min_period", UserError::with_hint(m, "a period is a number and a unit: 90m, 24h, 3d, 1w, 1d12h"))
            })?,
            None => d.min_period,
        };
        let min_basis = match &t.min_basis {
            Some(v) => Basis::parse(v).map_err(|e| at("min_basis", e))?,
            None => d.min_basis,
        };
        let members =
            match t.members.as_deref().map(str::trim) {
                None | Some("contingent") => Admission::Contingent,
                Some("statement") => Admission::Statement,
                Some(other) => return Err(at(
                    "members",
                    UserError::with_hint(
                        format!("who admits members is {other:?}, neither contingent nor statement"),
                        "contingent: a member of the contingent admits and removes its members; statement: only an \
                         approved joint statement does",
                    ),
                )),
            };
        Ok(Rules {
            min_threshold,
            min_quorum,
            min_period,
            min_basis,
            double_majority: t.double_majority.unwrap_or(d.double_majority),
            members,
        })
    }
}

/// The line of `key` in tribune.toml's `[rules]` table (else the table's, else 1).
fn rules_line(source: &str, key: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let Some(header) = lines.iter().position(|l| l.trim() == "[rules]") else {
        // Written as dotted keys ("rules.min_threshold = ...") or inline.
        return lines.iter().position(|l| l.contains(key)).map(|i| i + 1).unwrap_or(1);
    };
    for (i, l) in lines.iter().enumerate().skip(header + 1) {
        let l = l.trim_start();
        if l.starts_with('[') {
            break;
        }
        if l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            return i + 1;
        }
    }
    header + 1
}

/// Reads a period: "0", or numbers with units, largest first: "90m", "24h", "3d", "1w",
/// "1d12h" (w: 7 days, d: 24 hours, h, m: minutes, s). No negative or empty period.
pub fn parse_period(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.starts_with('-') {
        return Err(format!("the period {s:?} is negative"));
    }
    if t == "0" {
        return Ok(0);
    }
    let bad = || format!("the period {s:?} is not a period such as 24h or 3d");
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut last_unit = u64::MAX;
    for ch in t.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let unit: u64 = match ch {
            'w' => 7 * 24 * 3600,
            'd' => 24 * 3600,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        if digits.is_empty() || unit >= last_unit {
            return Err(bad());
        }
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(|| format!("the period {s:?} is too long"))?;
        digits.clear();
        last_unit = unit;
    }
    if !digits.is_empty() || last_unit == u64::MAX {
        return Err(bad());
    }
    Ok(total)
}

/// A period in the units people write: 86400 as "1d", 90000 as "1d1h", 0 as "0".
pub fn format_period(seconds: u64) -> String {
    if seconds == 0 {
        return "0".into();
    }
    let mut left = seconds;
    let mut out = String::new();
    for (unit, name) in [(24 * 3600, 'd'), (3600, 'h'), (60, 'm'), (1, 's')] {
        if left >= unit {
            out.push_str(&format!("{}{name}", left / unit));
            left %= unit;
        }
    }
    out
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Voting {
    /// Fraction of votes needed to pass, as "p/q".
    pub threshold: String,
    /// `cast` (of yes and no votes) or `members` (of the whole electorate).
    pub basis: String,
    /// Fraction of the electorate that must cast a ballot.
    pub quorum: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ratings {
    pub dimensions: Vec<String>,
}

impl Config {
    pub fn new(name: &str, trunk: &str) -> Config {
        Config {
            format: 1,
            name: name.to_string(),
            trunk: trunk.to_string(),
            voting: Voting { threshold: "2/3".into(), basis: "cast".into(), quorum: "1/2".into() },
            ratings: Ratings { dimensions: DEFAULT_DIMENSIONS.iter().map(|s| s.to_string()).collect() },
            lang: None,
            rules: Rules::default().text(),
        }
    }

    /// Reads tribune.toml, `[rules]` included: a value that does not parse or makes no sense
    /// is refused with its line.
    pub fn parse(text: &str) -> Result<Config, UserError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = super::toml_error_line(text, &e);
            UserError::with_hint(
                format!("tribune.toml:{line}: {} (on the trunk)", e.message().trim()),
                "fix tribune.toml with a commit on the trunk; `man 5 tribune-format` describes it",
            )
        })?;
        Rules::read(&config.rules, Some(text))?;
        Ok(config)
    }

    /// The organisation's rules as this file writes them (absent keys: the defaults).
    /// [`Config::parse`] has checked them; the rules in force for a statement are
    /// `governance::rules::at`'s, never these.
    pub fn rules(&self) -> Result<Rules, UserError> {
        Rules::read(&self.rules, None)
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# The commons of {}: see `man 5 tribune-format`.\n{body}", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "format = 1\nname = \"Org\"\ntrunk = \"main\"\n[voting]\nthreshold = \"2/3\"\nbasis = \"cast\"\nquorum = \"1/2\"\n[ratings]\ndimensions = [\"politics\"]\n";

    #[test]
    fn without_rules_the_defaults_hold_and_init_writes_them() {
        let c = Config::parse(BASE).unwrap();
        assert_eq!(c.rules().unwrap(), Rules::default());
        let d = Rules::default();
        assert_eq!((d.min_threshold, d.min_quorum, d.min_period), (Ratio { p: 2, q: 3 }, Ratio { p: 1, q: 2 }, 86400));
        let written = Config::new("Org", "main").to_toml();
        assert!(written.contains("[rules]\nmin_threshold = \"2/3\"\nmin_quorum = \"1/2\"\nmin_period = \"1d\"\nmin_basis = \"cast\"\ndouble_majority = false\nmembers = \"contingent\"\n"), "{written}");
        assert_eq!(Config::parse(&written).unwrap().rules().unwrap(), Rules::default());
    }

    #[test]
    fn rules_are_read() {
        let text = format!("{BASE}[rules]\nmin_threshold = \"3/4\"\nmin_quorum = \"0\"\nmin_period = \"1w\"\nmin_basis = \"members\"\ndouble_majority = true\nmembers = \"statement\"\n");
        let r = Config::parse(&text).unwrap().rules().unwrap();
        assert_eq!(r.min_threshold, Ratio { p: 3, q: 4 });
        assert_eq!(r.min_quorum, Ratio { p: 0, q: 1 });
        assert_eq!(r.min_period, 7 * 86400);
        assert_eq!(r.min_basis, Basis::Members);
        assert!(r.double_majority);
        assert_eq!(r.members, Admission::Statement);
    }

    #[test]
    fn nonsense_in_the_rules_is_refused_on_its_line() {
        for (line, want) in [
            ("min_threshold = \"3/2\"", "more than 1"),
            ("min_period = \"-1d\"", "negative"),
            ("min_basis = \"everyone\"", "neither cast nor members"),
            ("members = \"anyone\"", "neither contingent nor statement"),
            ("min_quorum = \"66%\"", "not an exact fraction"),
            ("min_period = \"soon\"", "not a period"),
        ] {
            let text = format!("{BASE}[rules]\ndouble_majority = false\n{line}\n");
            let e = Config::parse(&text).unwrap_err();
            assert!(e.message.starts_with("tribune.toml:12: "), "{line}: {}", e.message);
            assert!(e.message.contains(want), "{line}: {}", e.message);
        }
        for (line, want) in [
            ("min_treshold = \"2/3\"", "unknown field"),
            ("double_majority = \"yes\"", "bool"),
            ("min_period = -5", "string"),
        ] {
            let e = Config::parse(&format!("{BASE}[rules]\n{line}\n")).unwrap_err();
            assert!(e.message.starts_with("tribune.toml:11: "), "{line}: {}", e.message);
            assert!(e.message.contains(want), "{line}: {}", e.message);
        }
    }

    #[test]
    fn periods_are_written_with_units() {
        assert_eq!(parse_period("24h"), Ok(86400));
        assert_eq!(parse_period("1d12h"), Ok(129600));
        assert_eq!(parse_period("90m"), Ok(5400));
        assert_eq!(parse_period("0"), Ok(0));
        for bad in ["", "h", "12", "1h1d", "1d1d", "1.5d", "-2h", "99999999999999999999w", "1 d"] {
            assert!(parse_period(bad).is_err(), "{bad:?}");
        }
        assert_eq!(format_period(86400), "1d");
        assert_eq!(format_period(90000), "1d1h");
        assert_eq!(format_period(0), "0");
        for s in [0u64, 59, 3600, 86399, 86400, 604800, 1_000_000] {
            assert_eq!(parse_period(&format_period(s)), Ok(s));
        }
    }
}
