//! Shared filters: `filters/<name>.toml` on the trunk, each belonging to the member who
//! shared it (its `[owner]` table). Only the owner, or a member of the owner's contingent,
//! replaces or removes one: refused in a founded commons (where the owner is the member
//! whose key signs), told as a warning in an unfounded one (where nothing is refused).

use crate::commons::actor::Actor;
use crate::commons::{message, Change, Commons, Snapshot};
use crate::error::fail;
use crate::events::{emit, Event};
use crate::git::Oid;
use crate::model::filter::{Filter, Owner};
use crate::model::roster::Member;
use anyhow::Result;

/// Where a shared filter lives on the trunk.
pub fn path(name: &str) -> String {
    format!("filters/{name}.toml")
}

/// The owner recorded in the shared filter `name` (None: no such filter, or no owner).
pub fn owner(commons: &Commons, name: &str) -> Result<Option<Owner>> {
    owner_at(&commons.snapshot()?, name)
}

fn owner_at(snap: &Snapshot<'_>, name: &str) -> Result<Option<Owner>> {
    Ok(snap.blob(&path(name))?.and_then(|(_, b)| Owner::of_text(&String::from_utf8_lossy(&b))))
}

/// Who acts on a shared filter: the member (if any), checked in a founded commons to be an
/// authorised member signing with their key.
fn acting_member(commons: &Commons, actor: &Actor, what: &str) -> Result<Option<Member>> {
    let member = actor.member_in(commons)?;
    if actor.founded() && member.is_none() {
        let who = if actor.signer.is_some() {
            "the signing key belongs to no member of the roster, so it may not"
        } else {
            "an unsigned commit may not"
        };
        return Err(fail(
            format!("{who} {what}: in a founded commons a shared filter belongs to the member who signs it"),
            "sign with your key as a member of the roster (--key FILE), or keep the filter private (leave out --shared)",
        ));
    }
    Ok(member)
}

/// Whether `member` may replace or remove a filter owned by `owner`: refused in a founded
/// commons, a warning otherwise.
fn check_owner(actor: &Actor, member: Option<&Member>, name: &str, owner: Option<Owner>, verb: &str) -> Result<()> {
    let Some(owner) = owner else { return Ok(()) };
    if member.is_some_and(|m| m.id == owner.member || m.contingent == owner.contingent) {
        return Ok(());
    }
    if !actor.founded() {
        emit(Event::SharedFilterOfAnother {
            name: name.to_string(),
            owner: owner.member.clone(),
            contingent: owner.contingent.clone(),
        });
        return Ok(());
    }
    let who = match member {
        Some(m) => format!("{} (a member of {}) may not", m.id, m.contingent),
        None => "an unsigned commit may not".to_string(),
    };
    Err(fail(
        format!("{who} {verb} the shared filter {name:?}: it belongs to {} ({})", owner.member, owner.contingent),
        format!(
            "only {} or a member of {} may {verb} it, signing with their key (--key FILE); share yours under another name",
            owner.member, owner.contingent
        ),
    ))
}

/// Shares `filter` as `name` on the trunk, owned by the acting member (signed with their
/// key when they have one). Replacing a filter someone else owns is refused (founded) or
/// warned of (unfounded).
pub fn share(commons: &Commons, name: &str, filter: &Filter, actor: &Actor) -> Result<Oid> {
    let member = acting_member(commons, actor, &format!("share the filter {name:?}"))?;
    let owner = member.as_ref().map(|m| Owner { member: m.id.clone(), contingent: m.contingent.clone() });
    let text = filter.to_toml_owned(owner.as_ref());
    let (commit, ()) = commons.commit_on_trunk(|snap| {
        check_owner(actor, member.as_ref(), name, owner_at(snap, name)?, "replace")?;
        let mut change = Change::new(message(&format!("filter: {name}"), &[("Action", "filter"), ("Filter", name)]))
            .put(path(name), text.clone().into_bytes());
        change.signer = actor.signer.clone();
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Removes the shared filter `name` from the trunk: only its owner or a member of their
/// contingent (founded; a warning otherwise).
pub fn unshare(commons: &Commons, name: &str, actor: &Actor) -> Result<Oid> {
    let member = acting_member(commons, actor, &format!("remove the shared filter {name:?}"))?;
    let (commit, ()) = commons.commit_on_trunk(|snap| {
        if !snap.exists(&path(name))? {
            return Err(fail(format!("there is no shared filter {name:?}"), "see `tribune filter list`"));
        }
        check_owner(actor, member.as_ref(), name, owner_at(snap, name)?, "remove")?;
        let mut c = Change::new(message(&format!("filter: remove {name}"), &[("Action", "filter"), ("Filter", name)]));
        c.removes.push(path(name));
        c.signer = actor.signer.clone();
        Ok((c, ()))
    })?;
    Ok(commit)
}
