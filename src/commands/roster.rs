//! `tribune roster`: list, and add contingents and members.

use super::Ctx;
use crate::commons::{message, Change, Snapshot};
use crate::error::fail;
use crate::git::Identity;
use crate::model::roster::{check_public_key, Contingent, Member};
use crate::model::{id, layout};
use crate::output::{print, print_json, print_table};
use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

/// List the roster, or add a contingent or a member.
///
/// The roster lives on the trunk: `roster/contingents/<id>.toml` and
/// `roster/members/<id>.toml`. Each change is one commit with `Tribune-Action: roster`.
/// The electorate of a joint statement is the roster at the proposal's commit.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Print the roster as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Register a contingent (a group within the organisation).
    AddContingent(AddContingent),
    /// Register a member of a contingent, with the SSH keys they sign with.
    AddMember(AddMember),
}

#[derive(Debug, clap::Args)]
pub struct AddContingent {
    /// The contingent's id: lowercase letters, digits and '-' (e.g. abc).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The contingent's full name, as it signs ("ABC Collective").
    #[arg(long)]
    pub name: String,
    /// One sentence on who the contingent is.
    #[arg(long, default_value = "")]
    pub description: String,
    /// The contingent's web site.
    #[arg(long, default_value = "")]
    pub url: String,
}

#[derive(Debug, clap::Args)]
pub struct AddMember {
    /// The member's id: lowercase letters, digits and '-' (e.g. rlopez).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The id of the member's contingent.
    #[arg(long, value_name = "ID")]
    pub contingent: String,
    /// The member's name.
    #[arg(long)]
    pub name: String,
    /// The member's email (tribune recognises members by git's user.email).
    #[arg(long)]
    pub email: String,
    /// An SSH public key ("ssh-ed25519 AAAA…") the member signs ballots and ratings with; repeatable.
    #[arg(long = "key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// A file holding an SSH public key (e.g. ~/.ssh/id_ed25519.pub); repeatable.
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_files: Vec<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    match args.action {
        None => list(ctx, &commons.snapshot()?, args.json),
        Some(Action::AddContingent(a)) => {
            id::validate("contingent id", &a.id)?;
            if a.name.trim().is_empty() {
                return Err(fail("the contingent's name is empty", "pass --name \"ABC Collective\""));
            }
            let c = Contingent {
                id: a.id,
                name: a.name.trim().into(),
                description: a.description.trim().into(),
                url: a.url.trim().into(),
            };
            let (commit, ()) = commons.commit_on_trunk(|snap| Ok((add_contingent(snap, &c, None)?, ())))?;
            print(&format!("Added contingent {} ({}) in commit {}.", c.id, c.name, commit.short(10)))
        }
        Some(Action::AddMember(a)) => {
            let mut keys = Vec::new();
            for k in &a.keys {
                keys.push(check_public_key(k).context("--key")?);
            }
            for f in &a.key_files {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("could not read the key file {}", f.display()))?;
                keys.push(check_public_key(&text).with_context(|| format!("{}", f.display()))?);
            }
            let m = Member {
                id: a.id,
                name: a.name.trim().into(),
                contingent: a.contingent,
                email: a.email.trim().into(),
                keys,
            };
            let (commit, ()) = commons.commit_on_trunk(|snap| Ok((add_member(snap, &m, None)?, ())))?;
            print(&format!(
                "Added member {} ({}, contingent {}) in commit {}.",
                m.id,
                m.name,
                m.contingent,
                commit.short(10)
            ))
        }
    }
}

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
    let ring = crate::keyring::KeyRing::new(members.iter());
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

#[derive(Serialize)]
struct RosterJson {
    contingents: Vec<Contingent>,
    members: Vec<Member>,
}

fn list(ctx: &Ctx, snap: &Snapshot<'_>, json: bool) -> Result<()> {
    let contingents = snap.contingents()?;
    let members = snap.members()?;
    if json {
        return print_json(&RosterJson { contingents, members });
    }
    if contingents.is_empty() {
        return print("The roster is empty. Add a contingent with `tribune roster add-contingent ID --name NAME`.");
    }
    let mut t = ctx.style.table(&["CONTINGENT", "NAME", "MEMBERS", "URL"]).free_text(&["NAME"]);
    for c in &contingents {
        let n = members.iter().filter(|m| m.contingent == c.id).count();
        t.row([c.id.clone(), c.name.clone(), n.to_string(), c.url.clone()]);
    }
    print_table(&t)?;
    if !members.is_empty() {
        print("")?;
        let mut t = ctx.style.table(&["MEMBER", "NAME", "CONTINGENT", "EMAIL", "KEYS"]).free_text(&["NAME"]);
        for m in &members {
            t.row([m.id.clone(), m.name.clone(), m.contingent.clone(), m.email.clone(), m.keys.len().to_string()]);
        }
        print_table(&t)?;
    }
    Ok(())
}
