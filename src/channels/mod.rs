//! Channels: a contingent's signed, ordered selection of pinned article versions, and its
//! numbered editions (see tribune-format(5), CHANNELS and EDITIONS).
//!
//! Each channel is its own ref, `refs/tribune/channels/<contingent>/<channel>`, a chain of
//! commits whose tree holds the channel's files and, under `pins/`, the directory of every
//! version it ever picked or published (by tree id: nothing is copied), so that what a
//! channel published stays reachable, and readable with plain git, after the trunk moves on
//! and the repository is gc'd.
//!
//! This module is the read API ([`list`], [`read`], [`edition`]) and, in [`write`], the
//! changes; both return typed data and never print.

use crate::commons::Commons;
use crate::error::fail;
use crate::git::Oid;
use crate::model::channel::{self, Edition, Pick, Picks, Settings};
use anyhow::{Context, Result};
use serde::Serialize;

pub mod newsletter;
pub mod provenance;
pub use provenance::check_tip;
pub mod write;

/// Where contingents' channels live: `refs/tribune/channels/<contingent>/<channel>`.
pub const CHANNEL_REFS: &str = "refs/tribune/channels/";

/// Where members' own channels live: `refs/tribune/member-channels/<member>/<channel>`.
pub const MEMBER_CHANNEL_REFS: &str = "refs/tribune/member-channels/";

pub const SETTINGS: &str = "channel.toml";
pub const PICKS: &str = "picks.toml";
pub const STANDING: &str = "standing.md";
pub const EDITIONS: &str = "editions";

/// `pins/<xx>/<version>`: the directory a pinned version came from (its index.md is the
/// version), by the version's first two hex digits, so that no tree of a channel grows past a
/// few hundred entries.
pub fn pin_dir(version: &str) -> String {
    format!("pins/{}/{version}", &version[..2.min(version.len())])
}

/// A channel's name: who keeps it (a contingent, or one member) and its own name, each an
/// id. Written `<contingent>/<channel>`, or `@<member>/<channel>` for a member's own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChannelId {
    pub owner: String,
    pub name: String,
    /// Whether `owner` is a member (a member's own channel), not a contingent.
    pub member: bool,
}

impl ChannelId {
    /// A contingent's channel; checks both parts against the id rule.
    pub fn new(owner: &str, name: &str) -> Result<ChannelId> {
        crate::model::id::validate("contingent id", owner)?;
        crate::model::id::validate("channel name", name)?;
        Ok(ChannelId { owner: owner.to_string(), name: name.to_string(), member: false })
    }
    /// A member's own channel; checks both parts against the id rule.
    pub fn of_member(member: &str, name: &str) -> Result<ChannelId> {
        crate::model::id::validate("member id", member)?;
        crate::model::id::validate("channel name", name)?;
        Ok(ChannelId { owner: member.to_string(), name: name.to_string(), member: true })
    }
    pub fn refname(&self) -> String {
        let prefix = if self.member { MEMBER_CHANNEL_REFS } else { CHANNEL_REFS };
        format!("{prefix}{}/{}", self.owner, self.name)
    }
    /// The ref name's channel, when it has a channel's shape (either kind).
    pub fn of_ref(refname: &str) -> Option<ChannelId> {
        if let Some(rest) = refname.strip_prefix(MEMBER_CHANNEL_REFS) {
            let (owner, name) = rest.split_once('/')?;
            return ChannelId::of_member(owner, name).ok();
        }
        let (owner, name) = refname.strip_prefix(CHANNEL_REFS)?.split_once('/')?;
        ChannelId::new(owner, name).ok()
    }
    /// `<contingent>/<channel>` or `@<member>/<channel>` (see [`std::fmt::Display`]).
    pub fn parse(given: &str) -> Result<ChannelId> {
        let (owner, name) = given.split_once('/').ok_or_else(|| {
            fail(
                format!("{given:?} is not CONTINGENT/NAME or @MEMBER/NAME"),
                "name a channel as `tribune channel list` does",
            )
        })?;
        match owner.strip_prefix('@') {
            Some(member) => ChannelId::of_member(member, name),
            None => ChannelId::new(owner, name),
        }
    }
    /// Who keeps it, as a reader is told: `the contingent abc`, `the member rlopez`.
    pub fn keeper(&self) -> String {
        format!("the {} {}", if self.member { "member" } else { "contingent" }, self.owner)
    }
}

impl std::fmt::Display for ChannelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.member { "@" } else { "" };
        write!(f, "{at}{}/{}", self.owner, self.name)
    }
}

/// One channel in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `<contingent>/<channel>`, or `@<member>/<channel>`.
    pub id: String,
    pub owner: String,
    pub name: String,
    /// Whether a member keeps it (else a contingent).
    pub member: bool,
    pub title: String,
    pub description: Option<String>,
    pub closed: bool,
    pub picks: usize,
    pub editions: usize,
    /// The newest edition's number and date.
    pub last_edition: Option<EditionSummary>,
    /// The ref's tip.
    pub tip: String,
}

/// An edition without its articles' texts.
#[derive(Debug, Clone, Serialize)]
pub struct EditionSummary {
    pub number: u32,
    pub title: String,
    pub date: chrono::DateTime<chrono::Utc>,
    pub made_by: String,
    pub articles: usize,
}

/// A channel as its ref's tip holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub id: String,
    pub owner: String,
    pub name: String,
    /// Whether a member keeps it (else a contingent).
    pub member: bool,
    #[serde(flatten)]
    pub settings: Settings,
    /// The standing page printed at the back of each edition (Markdown).
    pub standing: Option<String>,
    pub picks: Vec<Pick>,
    /// Oldest first.
    pub editions: Vec<EditionSummary>,
    pub refname: String,
    pub tip: String,
    /// In a founded commons, the commits of the channel's history not signed by a member of
    /// its contingent (by the member, for a member's channel; a clone may have fetched them
    /// from a hub without tribune's hook): what they changed is not the keeper's act.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unverified: Vec<Unverified>,
}

/// A commit of a channel that is not an act of its contingent.
#[derive(Debug, Clone, Serialize)]
pub struct Unverified {
    pub commit: String,
    pub summary: String,
    #[serde(flatten)]
    pub judged: crate::governance::acts::Judged,
}

/// The commits of a channel's history, from `tip`, that are not its keeper's acts by the
/// authorised roster at the trunk's tip (`governance::acts::channel_standing_at`; none in
/// an unfounded commons, where nothing is refused). A channel is a short history, so it is
/// read whole.
pub fn unverified(commons: &Commons, id: &ChannelId, tip: Oid) -> Result<Vec<Unverified>> {
    if crate::governance::audit::audit_root(commons)?.is_none() {
        return Ok(Vec::new());
    }
    let at = commons.trunk_tip()?;
    let mut out = Vec::new();
    for commit in commons.repo.walk(tip, &[])? {
        let commit = commit?;
        let judged = crate::governance::acts::channel_standing_at(commons, at, commit, id)?;
        if judged.standing != crate::governance::acts::Standing::Verified {
            let summary = commons.repo.commit(commit)?.summary().to_string();
            out.push(Unverified { commit: commit.to_string(), summary, judged });
        }
    }
    Ok(out)
}

/// A pinned version, as a channel keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct Pinned {
    pub slug: String,
    pub version: String,
    pub title: String,
    /// The whole stored text (front matter and Markdown).
    pub text: String,
    /// The files that were beside it, with their blob ids.
    pub attachments: Vec<crate::articles::history::Attachment>,
}

/// One edition with its pinned versions.
#[derive(Debug, Clone, Serialize)]
pub struct EditionRead {
    pub channel: String,
    pub channel_title: String,
    pub owner: String,
    /// Whether a member keeps the channel (else a contingent).
    pub member: bool,
    #[serde(flatten)]
    pub edition: Edition,
    pub pinned: Vec<Pinned>,
    pub standing: Option<String>,
}

/// The files of a channel at one commit.
pub(crate) struct Files {
    pub settings: Settings,
    pub picks: Picks,
    pub standing: Option<String>,
    pub tree: Oid,
}

/// Reads a channel's files from a commit of its ref.
pub(crate) fn files_at(commons: &Commons, id: &ChannelId, commit: Oid) -> Result<Files> {
    let repo = &commons.repo;
    let refname = id.refname();
    let Some(info) = repo.commit_if_commit(commit)? else {
        return Err(fail(
            format!("{refname} points at {commit}, which is not a commit"),
            format!("a channel's ref is a chain of commits; see `git log {refname}`"),
        ));
    };
    let tree = info.tree;
    let text = |path: &str| -> Result<Option<String>> {
        Ok(repo.blob_at(tree, path)?.map(|(_, b)| String::from_utf8_lossy(&b).into_owned()))
    };
    let Some(settings) = text(SETTINGS)? else {
        return Err(fail(
            format!("{refname} has no {SETTINGS}: it is not a channel tribune wrote"),
            format!("see `git show {refname}`"),
        ));
    };
    let settings = Settings::parse(&format!("{refname}:{SETTINGS}"), &settings)?;
    if settings.owner != id.owner || settings.member != id.member {
        let kind = |m: bool| if m { "member" } else { "contingent" };
        return Err(fail(
            format!(
                "{refname}:{SETTINGS} names the {} {:?}, not the {} {:?}",
                kind(settings.member),
                settings.owner,
                kind(id.member),
                id.owner
            ),
            "a channel belongs to the contingent (or member) its ref names",
        ));
    }
    let picks = match text(PICKS)? {
        Some(t) => Picks::parse(&format!("{refname}:{PICKS}"), &t)?,
        None => Picks::default(),
    };
    Ok(Files { settings, picks, standing: text(STANDING)?, tree })
}

/// The editions of a channel's tree, oldest first.
pub(crate) fn editions_in(commons: &Commons, id: &ChannelId, tree: Oid) -> Result<Vec<Edition>> {
    let repo = &commons.repo;
    let mut out = Vec::new();
    for e in repo.list_dir(tree, EDITIONS)? {
        let Some(number) = channel::edition_number(&e.name).filter(|_| !e.is_tree) else { continue };
        let name = format!("{}:{EDITIONS}/{}", id.refname(), e.name);
        let text = String::from_utf8_lossy(&repo.read_blob(e.id)?).into_owned();
        let edition = Edition::parse(&name, &text)?;
        // One file per number, named by it as tribune names it: anything else would make
        // `edition list` and `edition export` disagree about which issue is which.
        let expected = channel::edition_file(edition.number);
        if edition.number != number || expected != format!("{EDITIONS}/{}", e.name) {
            return Err(fail(
                format!("{name} holds edition {}: tribune names that file {expected}", edition.number),
                "the channel was changed with plain git; an edition's file is named by its number",
            ));
        }
        out.push(edition);
    }
    out.sort_by_key(|e| e.number);
    Ok(out)
}

fn summary_of(e: &Edition) -> EditionSummary {
    EditionSummary {
        number: e.number,
        title: e.title.clone(),
        date: e.date,
        made_by: e.made_by.clone(),
        articles: e.articles.len(),
    }
}

/// Every channel of the commons, by owner and name. A ref that cannot be read is skipped
/// with a warning event, so that one broken channel does not hide the others.
pub fn list(commons: &Commons) -> Result<Vec<Summary>> {
    let mut out = Vec::new();
    for (refname, tip) in all_refs(commons)? {
        let Some(id) = ChannelId::of_ref(&refname) else { continue };
        let read = files_at(commons, &id, tip).and_then(|f| Ok((editions_in(commons, &id, f.tree)?, f)));
        let (editions, files) = match read {
            Ok(x) => x,
            Err(e) => {
                crate::events::emit(crate::events::Event::BrokenRef { refname, why: format!("{e:#}") });
                continue;
            }
        };
        out.push(Summary {
            id: id.to_string(),
            owner: id.owner.clone(),
            name: id.name.clone(),
            member: id.member,
            title: files.settings.title.clone(),
            description: files.settings.description.clone(),
            closed: files.settings.closed_at.is_some(),
            picks: files.picks.picks.len(),
            editions: editions.len(),
            last_edition: editions.last().map(summary_of),
            tip: tip.to_string(),
        });
    }
    Ok(out)
}

/// Every channel ref, contingents' first, then members'.
fn all_refs(commons: &Commons) -> Result<Vec<(String, Oid)>> {
    let mut refs = commons.repo.refs_with_prefix(CHANNEL_REFS)?;
    refs.extend(commons.repo.refs_with_prefix(MEMBER_CHANNEL_REFS)?);
    Ok(refs)
}

/// Finds a channel by `NAME`, `CONTINGENT/NAME` or `@MEMBER/NAME`: a bare name must be one
/// keeper's (a contingent's or a member's).
pub fn find(commons: &Commons, given: &str) -> Result<ChannelId> {
    if given.contains('/') {
        let id = ChannelId::parse(given).with_context(|| format!("the channel {given:?}"))?;
        if commons.repo.ref_target(&id.refname())?.is_none() {
            return Err(no_channel(commons, given));
        }
        return Ok(id);
    }
    if let Some(member) = given.strip_prefix('@') {
        let theirs: Vec<String> = all_refs(commons)?
            .iter()
            .filter_map(|(r, _)| ChannelId::of_ref(r))
            .filter(|id| id.member && id.owner == member)
            .map(|id| id.to_string())
            .collect();
        let hint = match theirs.is_empty() {
            true => format!("a member's channel is named @MEMBER/NAME; {member:?} has none"),
            false => format!("a member's channel is named @MEMBER/NAME: {}", theirs.join(", ")),
        };
        return Err(fail(format!("{given:?} names a member, not one of their channels"), hint));
    }
    crate::model::id::validate("channel name", given)?;
    let mut found: Vec<ChannelId> =
        all_refs(commons)?.iter().filter_map(|(r, _)| ChannelId::of_ref(r)).filter(|id| id.name == given).collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(no_channel(commons, given)),
        _ => Err(fail(
            format!("{} channels are named {given:?}", found.len()),
            format!(
                "name it with its keeper: {}",
                found.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

fn no_channel(commons: &Commons, given: &str) -> anyhow::Error {
    let known: Vec<String> = all_refs(commons)
        .unwrap_or_default()
        .iter()
        .filter_map(|(r, _)| ChannelId::of_ref(r))
        .map(|id| id.to_string())
        .collect();
    let hint = if known.is_empty() {
        "there are no channels yet: make one with `tribune channel add NAME --title TITLE`".to_string()
    } else {
        format!("known channels: {}", known.join(", "))
    };
    fail(format!("there is no channel {given:?}"), hint)
}

/// One channel with its picks and editions.
pub fn read(commons: &Commons, id: &ChannelId) -> Result<Channel> {
    let refname = id.refname();
    let Some(tip) = commons.repo.ref_target(&refname)? else { return Err(no_channel(commons, &id.to_string())) };
    let files = files_at(commons, id, tip)?;
    let editions = editions_in(commons, id, files.tree)?.iter().map(summary_of).collect();
    Ok(Channel {
        id: id.to_string(),
        owner: id.owner.clone(),
        name: id.name.clone(),
        member: id.member,
        settings: files.settings,
        standing: files.standing,
        picks: files.picks.picks,
        editions,
        refname,
        tip: tip.to_string(),
        unverified: unverified(commons, id, tip)?,
    })
}

/// A pinned version from a channel's tree: its text and the files beside it.
pub(crate) fn pinned_at(commons: &Commons, tree: Oid, slug: &str, version: &str, title: &str) -> Result<Pinned> {
    let repo = &commons.repo;
    let dir = pin_dir(version);
    let Some(text) = repo.blob_at(tree, &format!("{dir}/index.md"))? else {
        return Err(fail(
            format!("the channel's tree has no {dir}/index.md for {slug}@{version}"),
            "the channel was not written by tribune, or was changed with plain git",
        ));
    };
    // A version is its text's blob id: a pin holding any other text is a forgery (the words
    // would go out under the version's id and its authors' credit).
    if text.0.to_string() != version {
        return Err(fail(
            format!(
                "the channel's {dir}/index.md is not the version {version} it pins for {slug} (it holds {})",
                text.0
            ),
            "the channel was changed with plain git; a pinned text cannot change",
        ));
    }
    let attachments = repo
        .list_dir(tree, &dir)?
        .into_iter()
        .filter(|e| !e.is_tree && e.name != "index.md")
        .map(|e| crate::articles::history::Attachment { name: e.name, id: e.id.to_string() })
        .collect();
    Ok(Pinned {
        slug: slug.to_string(),
        version: version.to_string(),
        title: title.to_string(),
        text: String::from_utf8_lossy(&text.1).into_owned(),
        attachments,
    })
}

/// One edition of a channel, with the versions it pinned, read from the channel's tree only
/// (never the trunk's: what it published stays what it was).
pub fn edition(commons: &Commons, id: &ChannelId, number: u32) -> Result<EditionRead> {
    let refname = id.refname();
    let Some(tip) = commons.repo.ref_target(&refname)? else { return Err(no_channel(commons, &id.to_string())) };
    let files = files_at(commons, id, tip)?;
    let path = channel::edition_file(number);
    let Some((_, text)) = commons.repo.blob_at(files.tree, &path)? else {
        let have = editions_in(commons, id, files.tree)?;
        let hint = match (have.first(), have.last()) {
            (Some(a), Some(b)) if a.number == b.number => {
                format!("{id} has one edition, {}; see `tribune edition list {id}`", a.number)
            }
            (Some(a), Some(b)) => {
                format!("{id} has editions {} to {}; see `tribune edition list {id}`", a.number, b.number)
            }
            _ => format!("{id} has no editions yet: make one with `tribune edition new {id} --title TITLE`"),
        };
        return Err(fail(format!("{id} has no edition {number}"), hint));
    };
    let edition = Edition::parse(&format!("{refname}:{path}"), &String::from_utf8_lossy(&text))?;
    let pinned = edition
        .articles
        .iter()
        .map(|a| pinned_at(commons, files.tree, &a.slug, &a.version, &a.title))
        .collect::<Result<Vec<_>>>()?;
    Ok(EditionRead {
        channel: id.to_string(),
        channel_title: files.settings.title.clone(),
        owner: id.owner.clone(),
        member: id.member,
        edition,
        pinned,
        standing: files.standing,
    })
}
