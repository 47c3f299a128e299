//! Public challenges and replies: `challenges/<xx>/<id>/index.md` and
//! `challenges/<xx>/<id>/replies/<contingent>.md` on the trunk, and the accountability they
//! add up to.
//!
//! Every time that counts is written in the files' front matter when they are committed, so
//! listing ten thousand challenges reads their files once and never walks a history.

use crate::commons::{message, Change, Commons, Snapshot};
use crate::error::{fail, UserError};
use crate::git::{Identity, Oid};
use crate::model::article::split;
use crate::model::id;
use crate::signing::Signer;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;

mod accountability;
pub use accountability::{accountability, human, median, Record};

pub const DIR: &str = "challenges";

/// `challenges/<xx>`: the first two hex digits of sha1(id), so that no tree holds more than
/// about a thousand challenges until there are a quarter of a million.
pub fn shard(id: &str) -> String {
    let digest = sha1_smol::Sha1::from(id.as_bytes()).digest().bytes();
    format!("{DIR}/{:02x}", digest[0])
}
pub fn dir(id: &str) -> String {
    format!("{}/{id}", shard(id))
}
pub fn text_path(id: &str) -> String {
    format!("{}/index.md", dir(id))
}
pub fn reply_path(id: &str, contingent: &str) -> String {
    format!("{}/replies/{contingent}.md", dir(id))
}

/// A challenge as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    pub id: String,
    pub from: String,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about_version: Option<String>,
    /// The first line of the text.
    pub subject: String,
    /// When it was put (the commit's time).
    pub asked_at: DateTime<Utc>,
    pub asked_by: String,
    #[serde(skip)]
    pub body: String,
    pub replies: Vec<Reply>,
}

/// A contingent's reply to a challenge. A second reply by the same contingent replaces the
/// file (an amendment): `answered_at` stays the time of the first.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub contingent: String,
    pub answered_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended_at: Option<DateTime<Utc>>,
    pub replied_by: String,
    #[serde(skip)]
    pub body: String,
}

impl Challenge {
    /// The reply of the contingent challenged, which is what answers a challenge.
    pub fn answer(&self) -> Option<&Reply> {
        self.replies.iter().find(|r| r.contingent == self.to)
    }
    pub fn status(&self) -> &'static str {
        if self.answer().is_some() {
            "answered"
        } else {
            "open"
        }
    }
}

fn front(file: &str, text: &str) -> Result<(toml::Table, String), UserError> {
    let (front, body) = split(file, text)?
        .ok_or_else(|| UserError::with_hint(format!("{file}: no front matter"), "see `man 5 tribune-format`"))?;
    let table: toml::Table = toml::from_str(&front)
        .map_err(|e| UserError::with_hint(format!("{file}: {}", e.message().trim()), "see `man 5 tribune-format`"))?;
    Ok((table, body))
}

fn get_str(t: &toml::Table, file: &str, key: &str) -> Result<String, UserError> {
    t.get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| UserError::with_hint(format!("{file}: no `{key}`"), "see `man 5 tribune-format`"))
}

fn get_time(t: &toml::Table, file: &str, key: &str) -> Result<DateTime<Utc>, UserError> {
    let bad = || UserError::with_hint(format!("{file}: `{key}` is not an RFC 3339 time"), "see `man 5 tribune-format`");
    let s = match t.get(key) {
        Some(toml::Value::Datetime(d)) => d.to_string(),
        Some(toml::Value::String(s)) => s.clone(),
        _ => return Err(bad()),
    };
    DateTime::parse_from_rfc3339(&s).map(|d| d.with_timezone(&Utc)).map_err(|_| bad())
}

pub fn parse_challenge(id: &str, file: &str, text: &str) -> Result<Challenge, UserError> {
    let (t, body) = front(file, text)?;
    let opt = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Ok(Challenge {
        id: id.to_string(),
        from: get_str(&t, file, "from")?,
        to: get_str(&t, file, "to")?,
        about: opt("about"),
        about_version: opt("about_version"),
        subject: subject_of(&body),
        asked_at: get_time(&t, file, "asked_at")?,
        asked_by: opt("asked_by").unwrap_or_default(),
        body,
        replies: Vec::new(),
    })
}

pub fn parse_reply(contingent: &str, file: &str, text: &str) -> Result<Reply, UserError> {
    let (t, body) = front(file, text)?;
    Ok(Reply {
        contingent: contingent.to_string(),
        answered_at: get_time(&t, file, "answered_at")?,
        amended_at: get_time(&t, file, "amended_at").ok(),
        replied_by: t.get("replied_by").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
        body,
    })
}

/// The first non-empty line, without Markdown heading marks, at most 100 characters.
pub fn subject_of(body: &str) -> String {
    let line = body.lines().map(|l| l.trim().trim_start_matches('#').trim()).find(|l| !l.is_empty()).unwrap_or("");
    let mut s: String = line.chars().take(100).collect();
    if line.chars().count() > 100 {
        s.push('…');
    }
    s
}

fn time(t: DateTime<Utc>) -> toml::Value {
    let text = t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // A year outside 0..9999 (a clock set absurdly) is no TOML datetime: keep it as text.
    match text.parse() {
        Ok(d) => toml::Value::Datetime(d),
        Err(_) => toml::Value::String(text),
    }
}

/// The stored text of a new challenge.
pub fn render_challenge(c: &Challenge) -> String {
    let mut t = toml::Table::new();
    t.insert("from".into(), c.from.clone().into());
    t.insert("to".into(), c.to.clone().into());
    if let Some(a) = &c.about {
        t.insert("about".into(), a.clone().into());
    }
    if let Some(v) = &c.about_version {
        t.insert("about_version".into(), v.clone().into());
    }
    t.insert("asked_at".into(), time(c.asked_at));
    t.insert("asked_by".into(), c.asked_by.clone().into());
    format!("+++\n{}+++\n{}", toml::to_string(&t).unwrap_or_default(), with_newline(&c.body))
}

/// The stored text of a reply.
pub fn render_reply(id: &str, r: &Reply) -> String {
    let mut t = toml::Table::new();
    t.insert("challenge".into(), id.into());
    t.insert("contingent".into(), r.contingent.clone().into());
    t.insert("answered_at".into(), time(r.answered_at));
    if let Some(a) = r.amended_at {
        t.insert("amended_at".into(), time(a));
    }
    t.insert("replied_by".into(), r.replied_by.clone().into());
    format!("+++\n{}+++\n{}", toml::to_string(&t).unwrap_or_default(), with_newline(&r.body))
}

fn with_newline(s: &str) -> String {
    let s = s.trim_matches('\n');
    format!("{s}\n")
}

/// A new challenge's id: its date and six hex digits of a hash of everything that makes
/// it (text, parties, author, time), so two clones cannot pick the same id for two
/// different challenges; `extra` lengthens the hash when the id is somehow taken.
pub fn new_id(c: &Challenge, extra: usize) -> String {
    let mut h = sha1_smol::Sha1::new();
    for part in [&c.from, &c.to, &c.asked_by, &c.body, c.about.as_deref().unwrap_or("")] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    h.update(c.asked_at.to_rfc3339().as_bytes());
    let hex = h.digest().to_string();
    format!("{}-{}", c.asked_at.format("%Y-%m-%d"), &hex[..(6 + extra).min(40)])
}

/// Commits a new challenge on the trunk (its id is chosen under the compare-and-swap, so a
/// taken id is never reused); `who` authors it instead of git's identity when given.
pub fn put(commons: &Commons, challenge: Challenge, who: Option<&Identity>) -> Result<(Oid, Challenge)> {
    put_signed(commons, challenge, who, None)
}

/// [`put`], the commit signed by `signer` when given (the caller has checked that the
/// signer may act for the challenging contingent: see `commons::actor`).
pub fn put_signed(
    commons: &Commons,
    challenge: Challenge,
    who: Option<&Identity>,
    signer: Option<&Signer>,
) -> Result<(Oid, Challenge)> {
    commons.commit_on_trunk(|snap| {
        snap.require_contingent(&challenge.from).context("--from")?;
        snap.require_contingent(&challenge.to).context("--to")?;
        let mut c = challenge.clone();
        // The id is a hash of the challenge; should it be taken, a longer hash is not.
        for extra in 0..=34 {
            c.id = new_id(&challenge, extra);
            if !snap.exists(&dir(&c.id))? {
                break;
            }
        }
        let mut trailers = vec![("Action", "challenge"), ("Challenge", c.id.as_str()), ("Contingent", c.from.as_str())];
        trailers.push(("To", c.to.as_str()));
        if let Some(a) = &c.about {
            trailers.push(("Article", a.as_str()));
        }
        let msg = message(&format!("challenge {}: {}", c.to, c.subject), &trailers);
        let mut change = Change::new(msg).put(text_path(&c.id), render_challenge(&c).into_bytes()).by(who);
        change.signer = signer.cloned();
        Ok((change, c))
    })
}

/// Commits `contingent`'s reply to challenge `id` (an amendment when it has replied before:
/// the first answer's time is kept). Returns the commit, the reply and whether it amends.
pub fn answer(
    commons: &Commons,
    id: &str,
    contingent: &str,
    body: &str,
    replied_by: &str,
    now: DateTime<Utc>,
    who: Option<&Identity>,
) -> Result<(Oid, Reply, bool)> {
    answer_signed(commons, id, Answer { contingent, body, replied_by, now }, who, None)
}

/// A reply about to be written: who replies, with what text, by whom, when.
pub struct Answer<'a> {
    pub contingent: &'a str,
    pub body: &'a str,
    pub replied_by: &'a str,
    pub now: DateTime<Utc>,
}

/// [`answer`], the commit signed by `signer` when given (the caller has checked that the
/// signer may act for the replying contingent: see `commons::actor`).
pub fn answer_signed(
    commons: &Commons,
    id: &str,
    a: Answer<'_>,
    who: Option<&Identity>,
    signer: Option<&Signer>,
) -> Result<(Oid, Reply, bool)> {
    let Answer { contingent, body, replied_by, now } = a;
    let (commit, (reply, amendment)) = commons.commit_on_trunk(|snap| {
        snap.require_contingent(contingent).context("--as")?;
        let Some(c) = read(snap, id)? else {
            return Err(fail(
                format!("there is no challenge {id:?} on the trunk"),
                "list the challenges with `tribune challenges`",
            ));
        };
        let earlier = c.replies.iter().find(|r| r.contingent == contingent);
        if earlier.is_some_and(|r| r.body.trim() == body.trim()) {
            return Err(fail(
                format!("no change: {contingent} already replied to {} with this text", c.id),
                "edit the text to amend the reply",
            ));
        }
        let reply = Reply {
            contingent: contingent.to_string(),
            answered_at: earlier.map_or(now, |r| r.answered_at),
            amended_at: earlier.map(|_| now),
            replied_by: replied_by.to_string(),
            body: body.to_string(),
        };
        let verb = if earlier.is_some() { "amend reply" } else { "reply" };
        let msg = message(
            &format!("{verb} to {}: {}", c.id, c.subject),
            &[("Action", "reply"), ("Challenge", c.id.as_str()), ("Contingent", contingent)],
        );
        let text = render_reply(&c.id, &reply);
        let mut change = Change::new(msg).put(reply_path(&c.id, contingent), text.into_bytes()).by(who);
        change.signer = signer.cloned();
        Ok((change, (reply, earlier.is_some())))
    })?;
    Ok((commit, reply, amendment))
}

/// Reads one challenge and its replies from a snapshot of the trunk.
pub fn read(snap: &Snapshot<'_>, id: &str) -> Result<Option<Challenge>> {
    id::validate("challenge id", id)?;
    let Some(tree) = snap.tree else { return Ok(None) };
    let Some(entry) = snap.repo.entry_at(tree, &dir(id))?.filter(|e| e.is_tree) else { return Ok(None) };
    Ok(Some(read_dir(snap.repo, id, entry.id)?))
}

fn read_dir(repo: &crate::git::Repo, id: &str, tree: Oid) -> Result<Challenge> {
    let file = text_path(id);
    let Some((_, bytes)) = repo.blob_at(tree, "index.md")? else {
        return Err(fail(format!("{file} is missing"), "a challenge directory holds index.md"));
    };
    let mut c = parse_challenge(id, &file, &String::from_utf8_lossy(&bytes))?;
    for e in repo.list_dir(tree, "replies")? {
        let Some(contingent) = e.name.strip_suffix(".md") else { continue };
        if e.is_tree {
            continue;
        }
        let name = reply_path(id, contingent);
        match parse_reply(contingent, &name, &String::from_utf8_lossy(&repo.read_blob(e.id)?)) {
            Ok(r) => c.replies.push(r),
            Err(err) => crate::events::emit(crate::events::Event::ReplySkipped { file: name, why: err.message }),
        }
    }
    c.replies.sort_by(|a, b| a.answered_at.cmp(&b.answered_at).then(a.contingent.cmp(&b.contingent)));
    Ok(c)
}

/// Every challenge on the trunk, oldest first. Shards are read on all cores.
pub fn all(commons: &Commons) -> Result<Vec<Challenge>> {
    let repo = &commons.repo;
    let tree = repo.commit_tree(commons.trunk_tip()?)?;
    let mut dirs: Vec<(String, Oid)> = Vec::new();
    for shard in repo.list_dir(tree, DIR)?.into_iter().filter(|e| e.is_tree) {
        for e in repo.list_dir(shard.id, "")?.into_iter().filter(|e| e.is_tree) {
            dirs.push((e.name, e.id));
        }
    }
    let read = repo.par_map(&dirs, 500, |repo, (id, tree)| match read_dir(repo, id, *tree) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            crate::events::emit(crate::events::Event::ChallengeSkipped { id: id.clone(), why: format!("{e:#}") });
            Ok(None)
        }
    })?;
    let mut out: Vec<Challenge> = read.into_iter().flatten().collect();
    out.sort_by(|a, b| a.asked_at.cmp(&b.asked_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A stored challenge and reply read back as they were written, whatever the text.
        #[test]
        fn challenges_and_replies_round_trip(body in "[^\u{0}]{0,200}", secs in 0i64..4_000_000_000, later in 0i64..10_000_000) {
            let body = format!("Q {body}");
            let asked_at = DateTime::from_timestamp(secs, 0).unwrap();
            let c = Challenge {
                id: String::new(),
                from: "abc".into(),
                to: "xyz".into(),
                about: Some("a-slug".into()),
                about_version: None,
                subject: subject_of(&body),
                asked_at,
                asked_by: "A \"B\" <a@b.org>".into(),
                body: body.clone(),
                replies: Vec::new(),
            };
            let id = new_id(&c, 0);
            crate::model::id::validate("challenge id", &id).unwrap();
            let back = parse_challenge(&id, "f", &render_challenge(&c)).unwrap();
            proptest::prop_assert_eq!(&back.from, "abc");
            proptest::prop_assert_eq!(back.asked_at, asked_at);
            proptest::prop_assert_eq!(back.asked_by, c.asked_by);
            proptest::prop_assert_eq!(back.subject, subject_of(&body));
            let r = Reply {
                contingent: "xyz".into(),
                answered_at: asked_at,
                amended_at: Some(asked_at + chrono::Duration::seconds(later)),
                replied_by: "x".into(),
                body: body.clone(),
            };
            let back = parse_reply("xyz", "f", &render_reply(&id, &r)).unwrap();
            proptest::prop_assert_eq!(back.answered_at, r.answered_at);
            proptest::prop_assert_eq!(back.amended_at, r.amended_at);
            proptest::prop_assert_eq!(back.body.trim_matches('\n'), body.trim_matches('\n'));
        }
    }
}
