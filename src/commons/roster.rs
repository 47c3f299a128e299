//! Roster changes: the commits that add a contingent or a member, checked against the
//! roster they change.

use super::{message, Change, Snapshot};
use crate::error::fail;
use crate::git::Identity;
use crate::model::roster::{Contingent, Member};
use crate::model::{id, layout};
use anyhow::{Context, Result};

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
