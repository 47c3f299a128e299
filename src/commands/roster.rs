//! `tribune roster`: list, and add contingents and members.

use super::Ctx;
use crate::commons::roster::{admit, admit_contingent, remove_contingent, remove_member, rotate_key, set_rules};
use crate::error::fail;
use crate::governance::authority::Authority;
use crate::model::id;
use crate::model::roster::{check_public_key, Contingent, Member};
use crate::output::{clean, print, print_json, print_table};
use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

/// List the roster; admit, remove or re-key members; add contingents.
///
/// The roster lives on the trunk: `roster/contingents/<id>.toml` and
/// `roster/members/<id>.toml`. Each change is one commit with `Tribune-Action: roster`,
/// signed with `--key` (default: git's user.signingkey with gpg.format=ssh). In a founded
/// commons (`tribune init --founder`) a change is refused before anything is written unless
/// the roster authorises the signer: a member of a contingent admits and removes its
/// members, a member changes their own keys. The electorate of a joint statement is the
/// authorised roster at the proposal's commit.
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
    /// Remove a member from the roster (their past acts stay in the history).
    RemoveMember(RemoveMember),
    /// Replace a member's keys: signed by the member with a key they hold now.
    RotateKey(RotateKey),
    /// Remove a contingent that has no members left (as an approved statement enacts it).
    RemoveContingent(RemoveContingent),
    /// Replace tribune.toml, the rules included (as an approved statement enacts it).
    SetRules(SetRules),
}

#[derive(Debug, clap::Args)]
pub struct RemoveContingent {
    /// The contingent's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The approved statement that enacts the removal (`remove_contingent = "ID"` in its
    /// [[enacts]]); required in a founded commons.
    #[arg(long, value_name = "SLUG")]
    pub statement: Option<String>,
    /// The key to sign the change with: an SSH private key file, or its .pub with the key in
    /// ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SetRules {
    /// The new tribune.toml.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The approved statement that enacts it (`rules = "BLOB"` in its [[enacts]], the git
    /// blob id of FILE as `git hash-object FILE` prints it); required in a founded commons.
    #[arg(long, value_name = "SLUG")]
    pub statement: Option<String>,
    /// The key to sign the change with: an SSH private key file, or its .pub with the key in
    /// ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RemoveMember {
    /// The member's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The key to sign the change with: an SSH private key file, or its .pub with the key in
    /// ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RotateKey {
    /// The member's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// A file holding a new SSH public key; repeatable. The member's keys become these.
    #[arg(long = "key-file", value_name = "FILE", required = true)]
    pub key_files: Vec<PathBuf>,
    /// The member's current key, to sign the change: an SSH private key file, or its .pub
    /// with the key in ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
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
    /// The approved statement that admits it (`add_contingent = "ID"` and `name` in its
    /// [[enacts]]); required in a founded commons.
    #[arg(long, value_name = "SLUG")]
    pub statement: Option<String>,
    /// The key to sign the change with: an SSH private key file, or its .pub with the key in
    /// ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
// On two lines, so that `--help` fits 80 columns (clap never wraps a usage line).
#[command(
    override_usage = "tribune roster add-member [OPTIONS] --contingent <ID> --name <NAME>\n       --email <EMAIL> <ID>"
)]
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
    #[arg(long = "public-key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// A file holding an SSH public key (e.g. ~/.ssh/id_ed25519.pub); repeatable.
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_files: Vec<PathBuf>,
    /// The approved statement that admits the member (`add_member`, `contingent` and `key`
    /// in its [[enacts]]): for the first member of a contingent the statement admitted.
    #[arg(long, value_name = "SLUG")]
    pub statement: Option<String>,
    /// The key to sign the change with (in a founded commons, a member of the contingent's):
    /// an SSH private key file, or its .pub with the key in ssh-agent (default: git's
    /// user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    match args.action {
        None => {
            let root = crate::governance::audit::audit_root(&commons)?;
            let authority = crate::governance::audit::authority_at(&commons, commons.trunk_tip()?)?;
            list(ctx, &authority, root, args.json)
        }
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
            let commit = admit_contingent(&commons, &c, a.statement.as_deref(), a.key.as_deref())?;
            print(&format!("Added contingent {} ({}) in commit {}.", c.id, c.name, commit.short(10)))
        }
        Some(Action::AddMember(a)) => {
            let mut keys = Vec::new();
            for k in &a.keys {
                keys.push(check_public_key(k).context("--public-key")?);
            }
            keys.extend(read_key_files(&a.key_files)?);
            let m = Member {
                id: a.id,
                name: a.name.trim().into(),
                contingent: a.contingent,
                email: a.email.trim().into(),
                keys,
            };
            let commit = admit(&commons, &m, a.statement.as_deref(), a.key.as_deref())?;
            print(&format!(
                "Added member {} ({}, contingent {}) in commit {}.",
                m.id,
                m.name,
                m.contingent,
                commit.short(10)
            ))
        }
        Some(Action::RemoveMember(a)) => {
            let commit = remove_member(&commons, &a.id, a.key.as_deref())?;
            print(&format!("Removed member {} in commit {}.", a.id, commit.short(10)))
        }
        Some(Action::RemoveContingent(a)) => {
            let commit = remove_contingent(&commons, &a.id, a.statement.as_deref(), a.key.as_deref())?;
            print(&format!("Removed contingent {} in commit {}.", a.id, commit.short(10)))
        }
        Some(Action::SetRules(a)) => {
            let text = std::fs::read(&a.file).with_context(|| format!("could not read {}", a.file.display()))?;
            let text = crate::model::article::utf8(&a.file.display().to_string(), &text)?.to_string();
            let commit = set_rules(&commons, &text, a.statement.as_deref(), a.key.as_deref())?;
            print(&format!("tribune.toml replaced in commit {}.", commit.short(10)))
        }
        Some(Action::RotateKey(a)) => {
            let keys = read_key_files(&a.key_files)?;
            let n = keys.len();
            let commit = rotate_key(&commons, &a.id, keys, a.key.as_deref())?;
            print(&format!(
                "{} now signs with {n} key{} (commit {}).",
                a.id,
                if n == 1 { "" } else { "s" },
                commit.short(10)
            ))
        }
    }
}

/// Public keys from files, checked.
fn read_key_files(files: &[PathBuf]) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    for f in files {
        let text = crate::signing::read_key_file(f)?;
        keys.push(check_public_key(&text).with_context(|| format!("{}", f.display()))?);
    }
    Ok(keys)
}

#[derive(Serialize)]
struct RosterJson {
    /// The commons' identity: its root of authority (None: unfounded).
    root: Option<String>,
    contingents: Vec<Contingent>,
    members: Vec<Member>,
    /// Files of the roster that the authorised roster does not take as they are, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    left_out: Vec<LeftOut>,
}

#[derive(Serialize)]
struct LeftOut {
    path: String,
    why: String,
}

/// The authorised roster: what the authority chain took (in an unfounded commons, every
/// valid entry). Entries of the trunk's files that it did not take are named on stderr
/// (and in the JSON's `left_out`), never shown as members.
fn list(ctx: &Ctx, authority: &Authority, root: Option<String>, json: bool) -> Result<()> {
    let contingents: Vec<Contingent> = authority.contingents.values().cloned().collect();
    let members: Vec<Member> = authority.members.values().cloned().collect();
    let left_out: Vec<LeftOut> = authority
        .overrides
        .keys()
        .map(|path| LeftOut {
            path: path.clone(),
            why: match authority.invalid.get(path) {
                Some(reason) => format!("not a valid entry: {reason}"),
                None => "changed by a commit the roster did not authorise (`tribune audit` says which)".into(),
            },
        })
        .collect();
    if json {
        return print_json(&RosterJson { root, contingents, members, left_out });
    }
    for l in &left_out {
        eprintln!("warning: {}: {}; the roster below is the authorised one", clean(&l.path), clean(&l.why));
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
