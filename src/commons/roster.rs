//! Roster changes: the commits that add a contingent or a member, checked against the
//! roster they change.

use super::{message, Change, Commons, Snapshot};
use crate::error::fail;
use crate::git::{Identity, Oid};
use crate::model::roster::{Contingent, Member};
use crate::model::{id, layout};
use crate::signing::Signer;
use anyhow::{Context, Result};
use std::path::Path;

/// Refuses an entry that the roster would leave out as invalid on its own (a name that is
/// not one plain line, say): what a command writes, the audit takes.
pub(crate) fn require_valid_entry(path: &str, bytes: &[u8]) -> Result<()> {
    match crate::governance::authority::entry_problem(path, bytes, false) {
        None => Ok(()),
        Some(why) => Err(fail(
            format!("{path} would not be a valid roster entry: {why}"),
            "a name is one line of at most 200 characters, without control characters or invisible ones that \
             reorder or hide text; `man 5 tribune-format` (ROSTER, AUTHORITY) says what an entry holds",
        )),
    }
}

/// The commit adding a contingent, checked against the roster in `snap`.
pub fn add_contingent(snap: &Snapshot<'_>, c: &Contingent, who: Option<&Identity>) -> Result<Change> {
    id::validate("contingent id", &c.id)?;
    require_valid_entry(&layout::contingent(&c.id), c.to_toml().as_bytes())?;
    if let Some(existing) = snap.contingent(&c.id)? {
        return Err(fail(format!("the contingent {:?} already exists ({})", c.id, existing.name), "choose another id"));
    }
    let change = Change::new(message(
        &format!("roster: add contingent {} ({})", c.id, c.name),
        &[("Action", "roster"), ("Contingent", &c.id)],
    ))
    .put(layout::contingent(&c.id), c.to_toml().into_bytes());
    Ok(change.by(who))
}

/// The commit adding a member, checked against the roster in `snap`.
pub fn add_member(snap: &Snapshot<'_>, m: &Member, who: Option<&Identity>) -> Result<Change> {
    id::validate("member id", &m.id)?;
    if m.name.is_empty() {
        return Err(fail("the member's name is empty", "pass --name \"Rosa Lopez\""));
    }
    if !m.email.contains('@') || m.email.contains(char::is_whitespace) || m.email.contains(['<', '>']) {
        return Err(fail(format!("{:?} is not an email address", m.email), "pass --email name@example.org"));
    }
    id::validate("contingent id", &m.contingent).context("--contingent")?;
    require_valid_entry(&layout::member(&m.id), m.to_toml().as_bytes())?;
    snap.require_contingent(&m.contingent)?;
    if let Some(existing) = snap.member(&m.id)? {
        return Err(fail(
            format!("the member {:?} already exists ({}, {})", m.id, existing.name, existing.contingent),
            "choose another id",
        ));
    }
    let members = snap.members()?;
    if let Some(other) = members.iter().find(|o| o.email.eq_ignore_ascii_case(&m.email)) {
        return Err(fail(
            format!("the email {} already belongs to member {:?}", m.email, other.id),
            "each member has their own email: tribune recognises members by git's user.email",
        ));
    }
    // A key names who signed: one listed by two members would prove nothing.
    let ring = crate::signing::keyring::KeyRing::new(members.iter());
    for k in &m.keys {
        let others = ring.others_with(k, &m.id);
        if !others.is_empty() {
            return Err(fail(
                format!("that key already belongs to member {:?}", others[0]),
                "each member signs with their own key: generate one with `ssh-keygen -t ed25519`",
            ));
        }
    }
    let change = Change::new(message(
        &format!("roster: add member {} ({}, {})", m.id, m.name, m.contingent),
        &[("Action", "roster"), ("Contingent", &m.contingent), ("Member", &m.id)],
    ))
    .put(layout::member(&m.id), m.to_toml().into_bytes());
    Ok(change.by(who))
}

/// The authorised roster at the trunk's tip: what a roster change is judged against.
fn authority_now(commons: &Commons) -> Result<crate::governance::authority::Authority> {
    crate::governance::audit::authority_at(commons, commons.trunk_tip()?)
}

/// The key a roster change is signed with: `--key`, else git's configured signing key.
fn roster_signer(commons: &Commons, key: Option<&Path>) -> Result<Option<Signer>> {
    crate::signing::configured(&commons.repo, key)
}

/// Admits a member: checked against the roster, authorised by the chain (in a founded
/// commons, signed by a member of the new member's contingent), signed when a key is
/// configured. Nothing is written when any check fails.
pub fn admit(commons: &Commons, m: &Member, statement: Option<&str>, key: Option<&Path>) -> Result<Oid> {
    // The roster's own checks (an id or email taken, an unknown contingent, a bad key)
    // before any rule of who may change what: they are what the matter is.
    add_member(&commons.snapshot()?, m, None)?;
    if let Some(slug) = statement {
        let subject = format!("roster: add member {} ({}, {})", m.id, m.name, m.contingent);
        let extra = [("Contingent", m.contingent.as_str()), ("Member", m.id.as_str())];
        return enact(
            commons,
            &layout::member(&m.id),
            Some(m.to_toml().into_bytes()),
            Some(slug),
            &subject,
            &extra,
            key,
        );
    }
    let signer = roster_signer(commons, key)?;
    authority_now(commons)?.check_member_change(&m.id, Some(m), signer.as_ref().map(|s| s.public.as_str()))?;
    let (commit, ()) = commons.commit_on_trunk(|snap| {
        let mut change = add_member(snap, m, None)?;
        change.signer = signer.clone();
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Removes a member from the roster (their past acts stay in the history): in a founded
/// commons, signed by a member of their contingent.
pub fn remove_member(commons: &Commons, id: &str, key: Option<&Path>) -> Result<Oid> {
    crate::model::id::validate("member id", id)?;
    let signer = roster_signer(commons, key)?;
    if commons.snapshot()?.member(id)?.is_none() {
        return Err(fail(format!("there is no member {id:?} in the roster"), "see `tribune roster`"));
    }
    authority_now(commons)?.check_member_change(id, None, signer.as_ref().map(|s| s.public.as_str()))?;
    let (commit, ()) = commons.commit_on_trunk(|snap| {
        if snap.member(id)?.is_none() {
            return Err(fail(format!("there is no member {id:?} in the roster"), "see `tribune roster`"));
        }
        let mut change =
            Change::new(message(&format!("roster: remove member {id}"), &[("Action", "roster"), ("Member", id)]));
        change.removes.push(layout::member(id));
        change.signer = signer.clone();
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Replaces a member's keys with `keys`: signed by the member with a key they hold now.
pub fn rotate_key(commons: &Commons, id: &str, keys: Vec<String>, key: Option<&Path>) -> Result<Oid> {
    crate::model::id::validate("member id", id)?;
    if keys.is_empty() {
        return Err(fail("no new key given", "pass --key-file NEW.pub (repeatable)"));
    }
    let signer = roster_signer(commons, key)?;
    let Some(mut m) = commons.snapshot()?.member(id)? else {
        return Err(fail(format!("there is no member {id:?} in the roster"), "see `tribune roster`"));
    };
    m.keys = keys;
    let authority = authority_now(commons)?;
    authority.check_member_change(id, Some(&m), signer.as_ref().map(|s| s.public.as_str()))?;
    // A key names who signed: one listed by another member would prove nothing.
    for k in &m.keys {
        if let Some(other) = authority.keys.others_with(k, id).first() {
            return Err(fail(
                format!("that key already belongs to member {other:?}"),
                "each member signs with their own key",
            ));
        }
    }
    let (commit, ()) = commons.commit_on_trunk(|_| {
        let mut change = Change::new(message(
            &format!("roster: new keys for {id}"),
            &[("Action", "roster"), ("Contingent", &m.contingent), ("Member", id)],
        ))
        .put(layout::member(id), m.to_toml().into_bytes());
        change.signer = signer.clone();
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// A change only an approved statement may make (in a founded commons): to `path`, to
/// `data` (None: removed), citing `statement`. Refused before anything is written unless
/// the statement enacts exactly this change and its approval verifies; signed with the key.
pub fn enact(
    commons: &Commons,
    path: &str,
    data: Option<Vec<u8>>,
    statement: Option<&str>,
    subject: &str,
    extra: &[(&str, &str)],
    key: Option<&Path>,
) -> Result<Oid> {
    let signer = roster_signer(commons, key)?;
    let founded = authority_now(commons)?.founded;
    if let Some(slug) = statement {
        crate::model::id::validate("statement", slug).context("--statement")?;
        let blob = data.as_deref().map(crate::git::Oid::hash_blob).transpose()?;
        // The blob must exist for the check to read it; writing it alone changes no ref.
        if let Some(d) = &data {
            commons.repo.write_blob(d)?;
        }
        let tip = commons.trunk_tip()?;
        let old = authority_now(commons)?.blob(path);
        let e = crate::governance::authority::Enactment { statement: slug, path, old, new: blob, parents: &[tip] };
        if !crate::governance::enact::authorises(commons, &e)? {
            return Err(fail(
                format!("the statement {slug} does not authorise this change ({subject})"),
                format!(
                    "the statement must name exactly this change in its [[enacts]] tables and be approved by a tag \
                     that verifies (`tribune verify {slug}`); `man 5 tribune-format` shows how"
                ),
            ));
        }
    } else if founded {
        return Err(fail(
            format!(
                "cannot {}: in a founded commons only an approved joint statement may",
                subject.trim_start_matches("roster: ").replace("rules: tribune.toml changed", "change the rules")
            ),
            "propose a statement whose front matter enacts the change ([[enacts]]), have it approved, then pass \
             --statement SLUG",
        ));
    }
    let mut trailers = vec![("Action", "roster")];
    trailers.extend_from_slice(extra);
    if let Some(slug) = statement {
        trailers.push(("Enacts", slug));
    }
    let (commit, ()) = commons.commit_on_trunk(|_| {
        let mut change = Change::new(message(subject, &trailers));
        match &data {
            Some(d) => change = change.put(path.to_string(), d.clone()),
            None => change.removes.push(path.to_string()),
        }
        change.signer = signer.clone();
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Adds a contingent (in a founded commons, as an approved statement enacts it).
pub fn admit_contingent(commons: &Commons, c: &Contingent, statement: Option<&str>, key: Option<&Path>) -> Result<Oid> {
    id::validate("contingent id", &c.id)?;
    if let Some(existing) = commons.snapshot()?.contingent(&c.id)? {
        return Err(fail(format!("the contingent {:?} already exists ({})", c.id, existing.name), "choose another id"));
    }
    let subject = format!("roster: add contingent {} ({})", c.id, c.name);
    let extra = [("Contingent", c.id.as_str())];
    enact(commons, &layout::contingent(&c.id), Some(c.to_toml().into_bytes()), statement, &subject, &extra, key)
}

/// Removes a contingent (in a founded commons, as an approved statement enacts it). Its
/// members must have been removed first.
pub fn remove_contingent(commons: &Commons, id: &str, statement: Option<&str>, key: Option<&Path>) -> Result<Oid> {
    id::validate("contingent id", id)?;
    let snap = commons.snapshot()?;
    if snap.contingent(id)?.is_none() {
        return Err(fail(format!("there is no contingent {id:?} in the roster"), "see `tribune roster`"));
    }
    let left: Vec<String> = snap.members()?.into_iter().filter(|m| m.contingent == id).map(|m| m.id).collect();
    if !left.is_empty() {
        return Err(fail(
            format!("the contingent {id} still has members: {}", left.join(", ")),
            "remove them first with `tribune roster remove-member`",
        ));
    }
    let subject = format!("roster: remove contingent {id}");
    enact(commons, &layout::contingent(id), None, statement, &subject, &[("Contingent", id)], key)
}

/// Replaces tribune.toml with `text` (in a founded commons, as an approved statement enacts
/// it): checked first, so that a commons never holds rules it cannot read.
pub fn set_rules(commons: &Commons, text: &str, statement: Option<&str>, key: Option<&Path>) -> Result<Oid> {
    let config = crate::model::config::Config::parse(text)?;
    config.rules()?;
    enact(commons, layout::CONFIG, Some(text.as_bytes().to_vec()), statement, "rules: tribune.toml changed", &[], key)
}

/// Founds a commons made without founders: one signed commit on the trunk that makes the
/// roster as it is the root of authority. The signer must be a member with a key; every
/// valid member with a key is a founder. Members without a key cannot sign anything in a
/// founded commons (and would stand in its roster as invalid entries forever): the commit
/// removes their entries, and they are named, to be admitted again with a key. Nothing
/// else changes; from this commit on, the authority chain applies.
pub fn found(commons: &Commons, key: Option<&Path>) -> Result<(Oid, Vec<String>, Vec<String>)> {
    let authority = authority_now(commons)?;
    if let Some(root) = authority.root {
        return Err(fail(
            format!("this commons is founded already: its root of authority is {root}"),
            "a commons has one root; change the roster with `tribune roster` commands",
        ));
    }
    let Some(signer) = roster_signer(commons, key)? else {
        return Err(fail(
            "no key to sign the founding with",
            "pass --key FILE (your SSH private key, or its .pub with the key in ssh-agent), or set git's \
             user.signingkey with gpg.format=ssh",
        ));
    };
    let Some(me) = authority.member_with_key(&signer.public) else {
        return Err(fail(
            "the signing key belongs to no member of the roster",
            "found the commons with the key of a member (`tribune roster` lists them)",
        ));
    };
    let founders: Vec<String> =
        authority.members.values().filter(|m| !m.keys.is_empty()).map(|m| m.id.clone()).collect();
    let keyless: Vec<String> = authority.members.values().filter(|m| m.keys.is_empty()).map(|m| m.id.clone()).collect();
    let (commit, ()) = commons.commit_on_trunk(|_| {
        let mut change = Change::new(message(
            &format!("found: the roster as it is becomes the root of authority, signed by {me}"),
            &[("Action", "found"), ("Founders", &founders.join(" "))],
        ));
        change.allow_empty = true;
        change.removes = keyless.iter().map(|id| layout::member(id)).collect();
        change.signer = Some(signer.clone());
        Ok((change, ()))
    })?;
    Ok((commit, founders, keyless))
}
