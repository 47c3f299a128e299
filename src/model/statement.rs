//! Joint statements: a text proposed in the name of the whole organisation, with the rule
//! that decides it fixed in its front matter when it is proposed.

use super::article::split;
use super::vote::{Basis, Ratio, Rule};
use crate::error::UserError;
use chrono::{DateTime, Utc};

const HINT: &str = "a statement starts with a `+++` line, TOML fields (title, deadline, threshold, basis, quorum), \
a closing `+++` line, then the text; `man 5 tribune-format` has an example";

/// A proposal's text and its voting rule.
#[derive(Debug, Clone)]
pub struct Statement {
    pub title: String,
    /// When voting closes.
    pub deadline: DateTime<Utc>,
    pub rule: Rule,
    /// The member who proposed it, if recorded.
    pub proposed_by: Option<String>,
    /// Changes to the roster or the rules that the statement, once approved, authorises
    /// (`[[enacts]]` tables).
    pub enacts: Vec<Enactment>,
    pub body: String,
}

/// A change an approved statement authorises.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "enacts", rename_all = "kebab-case")]
pub enum Enactment {
    /// `add_contingent = "ID"`, `name = "…"`: admit a contingent with this name.
    AddContingent { contingent: String, name: String },
    /// `remove_contingent = "ID"`.
    RemoveContingent { contingent: String },
    /// `rules = "BLOB"`: tribune.toml becomes the file with this git blob id.
    Rules { blob: String },
    /// `add_member = "ID"`, `contingent = "…"`, `key = "ssh-ed25519 …"`: admit a member
    /// (the first of a new contingent, say) with exactly this key; and, when the statement
    /// gives them, exactly this `name` and `email`.
    AddMember {
        member: String,
        contingent: String,
        key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        email: Option<String>,
    },
}

/// What `propose` may fill in when the file leaves it out.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pub title: Option<String>,
    pub deadline: Option<DateTime<Utc>>,
    pub threshold: Option<String>,
    pub basis: Option<String>,
    pub quorum: Option<String>,
    /// `double_majority = true`: the threshold must also be met by the contingents.
    pub double_majority: Option<bool>,
    pub proposed_by: Option<String>,
}

/// Reads an RFC 3339 deadline ("2026-12-01T18:00:00Z"); a bare date means midnight UTC.
pub fn parse_deadline(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
}

/// The deadline as it is written: `2026-12-01T18:00:00Z`.
pub fn format_deadline(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Statement {
    /// Parses a stored statement: every field of the rule must be there.
    pub fn parse(file: &str, text: &str) -> Result<Statement, UserError> {
        let (front, body) = split(file, text)?
            .ok_or_else(|| UserError::with_hint(format!("{file}:1: expected front matter (a '+++' line)"), HINT))?;
        let table: toml::Table = toml::from_str(&front).map_err(|e| {
            UserError::with_hint(
                format!("{file}:{}: {}", super::toml_error_line(&front, &e) + 1, e.message().trim()),
                HINT,
            )
        })?;
        let line_of = |key: &str| {
            front
                .lines()
                .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
                .map(|i| i + 2)
                .unwrap_or(1)
        };
        let err = |key: &str, msg: String| UserError::with_hint(format!("{file}:{}: {msg}", line_of(key)), HINT);
        let string = |key: &str| -> Result<String, UserError> {
            match table.get(key) {
                Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                Some(toml::Value::Datetime(d)) => Ok(d.to_string()),
                Some(toml::Value::Integer(i)) => Ok(i.to_string()),
                Some(_) => Err(err(key, format!("`{key}` must be a string"))),
                None => Err(err(key, format!("the front matter has no `{key}`"))),
            }
        };
        let title = string("title")?;
        if title.chars().any(char::is_control) {
            return Err(err("title", "the title must be one line of text".into()));
        }
        let deadline_text = string("deadline")?;
        let deadline = parse_deadline(&deadline_text).ok_or_else(|| {
            err("deadline", format!("the deadline {deadline_text:?} is not a time such as 2026-12-01T18:00:00Z"))
        })?;
        let ratio = |key: &str| -> Result<Ratio, UserError> {
            Ratio::parse(key, &string(key)?)
                .map_err(|e| UserError { message: format!("{file}:{}: {}", line_of(key), e.message), hint: e.hint })
        };
        let threshold = ratio("threshold")?;
        if threshold.p == 0 {
            return Err(err("threshold", "a threshold of 0 would pass anything".into()));
        }
        let quorum = ratio("quorum")?;
        let basis = Basis::parse(&string("basis")?)
            .map_err(|e| UserError { message: format!("{file}:{}: {}", line_of("basis"), e.message), hint: e.hint })?;
        let double_majority = match table.get("double_majority") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(err("double_majority", "`double_majority` must be true or false".into())),
        };
        let proposed_by = match table.get("proposed_by") {
            Some(_) => Some(string("proposed_by")?),
            None => None,
        };
        let enacts = match table.get("enacts") {
            None => Vec::new(),
            Some(toml::Value::Array(items)) => {
                let mut out: Vec<Enactment> = Vec::new();
                for item in items {
                    let e = enactment(item).map_err(|m| err("enacts", m))?;
                    if let Some(same) = out.iter().find(|o| o.target() == e.target()) {
                        let what = same.target();
                        return Err(err(
                            "enacts",
                            format!("two [[enacts]] entries change {what}: one statement changes it once"),
                        ));
                    }
                    out.push(e);
                }
                out
            }
            Some(_) => return Err(err("enacts", "`enacts` must be [[enacts]] tables".into())),
        };
        if body.trim().is_empty() {
            return Err(UserError::with_hint(
                format!("{file}: the statement has no text (nothing after the closing '+++')"),
                "write the statement's text after the front matter",
            ));
        }
        Ok(Statement {
            title,
            deadline,
            rule: Rule { threshold, basis, quorum, double_majority },
            proposed_by,
            enacts,
            body,
        })
    }

    /// Completes a proposal's text: fields the file leaves out are taken from `fill` (the
    /// command line, then the organisation's defaults), keeping the file's own formatting.
    /// A field given both in the file and on the command line with different values is an
    /// error; `defaults` only fill what is still missing. Returns the full text to store.
    pub fn complete(file: &str, text: &str, fill: &Fill, defaults: &Fill) -> Result<String, UserError> {
        let (front, body) = match split(file, text)? {
            Some(parts) => parts,
            None => (String::new(), text.to_string()),
        };
        let mut doc: toml_edit::DocumentMut = front.parse().map_err(|e: toml_edit::TomlError| {
            let line = e.span().map(|s| front[..s.start.min(front.len())].matches('\n').count() + 2).unwrap_or(1);
            UserError::with_hint(format!("{file}:{line}: {}", e.message().trim()), HINT)
        })?;
        fn set(
            doc: &mut toml_edit::DocumentMut,
            file: &str,
            key: &str,
            value: Option<String>,
        ) -> Result<(), UserError> {
            let Some(value) = value else { return Ok(()) };
            match doc.get(key) {
                None => {
                    doc[key] = toml_edit::value(value);
                    Ok(())
                }
                Some(existing) => {
                    let given = existing
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| existing.as_datetime().map(|d| d.to_string()))
                        .unwrap_or_default();
                    let same = given.trim() == value
                        || (key == "deadline"
                            && parse_deadline(&given).is_some_and(|d| Some(d) == parse_deadline(&value)));
                    if same {
                        Ok(())
                    } else {
                        Err(UserError::with_hint(
                            format!("{file}: `{key}` is {given:?} in the file but {value:?} on the command line"),
                            format!("give {key} once: remove it from the file or leave out the flag"),
                        ))
                    }
                }
            }
        }
        set(&mut doc, file, "title", fill.title.clone())?;
        set(&mut doc, file, "threshold", fill.threshold.clone())?;
        set(&mut doc, file, "basis", fill.basis.clone())?;
        set(&mut doc, file, "quorum", fill.quorum.clone())?;
        set(&mut doc, file, "proposed_by", fill.proposed_by.clone())?;
        // A double majority asked for (by a flag or the organisation's rules) is written; a
        // file that says `double_majority = false` against the flag is refused.
        if fill.double_majority == Some(true) || defaults.double_majority == Some(true) {
            match doc.get("double_majority").map(|v| v.as_bool()) {
                None => doc["double_majority"] = toml_edit::value(true),
                Some(Some(true)) => {}
                Some(_) if fill.double_majority == Some(true) => {
                    return Err(UserError::with_hint(
                        format!("{file}: `double_majority` is not true in the file but --double-majority is given"),
                        "give it once: remove it from the file or leave out the flag",
                    ))
                }
                // The file's own choice stands; the organisation's floor judges it.
                Some(_) => {}
            }
        }
        for (key, value) in [
            ("threshold", &defaults.threshold),
            ("basis", &defaults.basis),
            ("quorum", &defaults.quorum),
            ("proposed_by", &defaults.proposed_by),
        ] {
            if let (None, Some(v)) = (doc.get(key), value) {
                doc[key] = toml_edit::value(v.clone());
            }
        }
        let fill = &Fill {
            deadline: fill.deadline.or(if doc.get("deadline").is_none() { defaults.deadline } else { None }),
            ..fill.clone()
        };
        if let Some(d) = fill.deadline {
            let written = format_deadline(d);
            match doc.get("deadline") {
                None => {
                    let dt: toml_edit::Datetime = written
                        .parse()
                        .map_err(|_| UserError::new(format!("could not write the deadline {written}")))?;
                    doc["deadline"] = toml_edit::value(dt);
                }
                Some(_) => set(&mut doc, file, "deadline", Some(written))?,
            }
        }
        let mut front = doc.to_string();
        if !front.ends_with('\n') {
            front.push('\n');
        }
        let body = body.trim_start_matches(['\n', '\r']);
        let full = format!("+++\n{front}+++\n{body}");
        Statement::parse(file, &full)?;
        Ok(full)
    }
}

impl Enactment {
    /// What it changes, in words: two entries of one statement must not change the same.
    pub fn target(&self) -> String {
        match self {
            Enactment::AddContingent { contingent, .. } | Enactment::RemoveContingent { contingent } => {
                format!("the contingent {contingent}")
            }
            Enactment::Rules { .. } => "the rules".into(),
            Enactment::AddMember { member, .. } => format!("the member {member}"),
        }
    }
}

/// One `[[enacts]]` table: exactly one of `add_contingent` (with `name`), `remove_contingent`
/// and `rules`.
fn enactment(item: &toml::Value) -> Result<Enactment, String> {
    let toml::Value::Table(t) = item else { return Err("each `enacts` entry must be a table".into()) };
    let text = |k: &str| t.get(k).and_then(|v| v.as_str()).map(|s| s.trim().to_string());
    let kinds =
        ["add_contingent", "remove_contingent", "rules", "add_member"].iter().filter(|k| t.contains_key(**k)).count();
    if kinds != 1 {
        return Err(
            "each [[enacts]] names exactly one of add_contingent, remove_contingent, add_member or rules".into()
        );
    }
    let id = |k: &str| -> Result<String, String> {
        let v = text(k).ok_or_else(|| format!("`{k}` must be a string"))?;
        super::id::validate("contingent id", &v).map_err(|e| e.message)?;
        Ok(v)
    };
    if t.contains_key("add_member") {
        let member = text("add_member").ok_or("`add_member` must be a string")?;
        super::id::validate("member id", &member).map_err(|e| e.message)?;
        let key = text("key").ok_or("an add_member entry needs the member's `key`")?;
        let key = super::roster::check_public_key(&key).map_err(|e| e.message)?;
        let optional = |k: &str| -> Result<Option<String>, String> {
            match t.get(k) {
                None => Ok(None),
                Some(_) => match text(k).filter(|v| !v.is_empty() && !v.chars().any(char::is_control)) {
                    Some(v) => Ok(Some(v)),
                    None => Err(format!("`{k}` of an add_member entry must be a non-empty string")),
                },
            }
        };
        let (name, email) = (optional("name")?, optional("email")?);
        return Ok(Enactment::AddMember { member, contingent: id("contingent")?, key, name, email });
    }
    if t.contains_key("add_contingent") {
        let name = text("name").filter(|n| !n.is_empty() && !n.chars().any(char::is_control));
        let name = name.ok_or("an add_contingent entry needs the contingent's `name`")?;
        return Ok(Enactment::AddContingent { contingent: id("add_contingent")?, name });
    }
    if t.contains_key("remove_contingent") {
        return Ok(Enactment::RemoveContingent { contingent: id("remove_contingent")? });
    }
    let blob = text("rules").filter(|b| b.len() == 40 && b.bytes().all(|c| c.is_ascii_hexdigit()));
    Ok(Enactment::Rules {
        blob: blob.ok_or("`rules` must be the 40-hex git blob id of the new tribune.toml")?.to_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill() -> Fill {
        Fill {
            title: None,
            deadline: parse_deadline("2026-12-01T18:00:00Z"),
            threshold: Some("2/3".into()),
            basis: Some("cast".into()),
            quorum: Some("1/2".into()),
            double_majority: None,
            proposed_by: None,
        }
    }

    #[test]
    fn a_proposal_is_completed_from_the_defaults_and_parses() {
        let text = "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n";
        let full = Statement::complete("s.md", text, &Fill::default(), &fill()).unwrap();
        let s = Statement::parse("s.md", &full).unwrap();
        assert_eq!(s.title, "For the rent strike");
        assert_eq!(format_deadline(s.deadline), "2026-12-01T18:00:00Z");
        assert_eq!(s.rule.threshold, Ratio { p: 2, q: 3 });
        assert_eq!(s.body, "We support the tenants.\n");
        assert!(full.contains("deadline = 2026-12-01T18:00:00Z"), "{full}");
    }

    #[test]
    fn a_field_given_twice_differently_is_refused() {
        let text = "+++\ntitle = \"T\"\nthreshold = \"3/4\"\n+++\nText.\n";
        let err = Statement::complete("s.md", text, &fill(), &Fill::default()).unwrap_err();
        assert!(err.message.contains("threshold"), "{}", err.message);
        // A default never overrides the file.
        let full = Statement::complete("s.md", text, &Fill::default(), &fill()).unwrap();
        assert!(full.contains("threshold = \"3/4\""), "{full}");
        assert!(err.message.contains("threshold"), "{}", err.message);
    }

    #[test]
    fn a_percentage_threshold_names_its_line() {
        let text = "+++\ntitle = \"T\"\ndeadline = 2026-12-01T18:00:00Z\nthreshold = \"66.667%\"\nbasis = \"cast\"\nquorum = \"1/2\"\n+++\nText.\n";
        let err = Statement::parse("s.md", text).unwrap_err();
        assert!(err.message.starts_with("s.md:4:"), "{}", err.message);
    }
}
