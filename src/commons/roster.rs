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

/// The commit adding a contingent, checked against the roster in `snap`.
pub fn add_contingent(snap: &Snapshot<'_>, c: &Contingent, who: Option<&Identity>) -> Result<Change> {
    id::validate("contingent id", &c.id)?;
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
pub fn admit(commons: &Commons, m: &Member, key: Option<&Path>) -> Result<Oid> {
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

/// Adds a contingent: in a founded commons only an approved statement may, which is not
/// wired yet, so it is refused there.
pub fn admit_contingent(commons: &Commons, c: &Contingent) -> Result<Oid> {
    if authority_now(commons)?.founded {
        return Err(fail(
            format!("cannot add the contingent {}: in a founded commons only an approved joint statement may", c.id),
            "admitting a contingent by statement is not supported yet; the founders' contingent admits members \
             with `tribune roster add-member`",
        ));
    }
    let (commit, ()) = commons.commit_on_trunk(|snap| Ok((add_contingent(snap, c, None)?, ())))?;
    Ok(commit)
}
