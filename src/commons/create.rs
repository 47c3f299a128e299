//! Creating a commons: a bare git repository (or an empty one adopted) whose trunk holds
//! `tribune.toml`.

use super::{commit_on, message, Change, DEFAULT_TRUNK, TRUNK_CONFIG_KEY};
use crate::error::fail;
use crate::git::{Identity, Oid, Repo};
use crate::model::roster::{Contingent, Member};
use crate::model::{config::Config, id, layout};
use anyhow::Result;
use std::path::Path;

/// The founders of a commons: its first contingents and members (the first member is the
/// one who signs), and the key that signs the root commit (one of that member's).
pub struct Founders {
    pub contingents: Vec<Contingent>,
    pub members: Vec<Member>,
    pub signer: crate::signing::Signer,
}

/// Creates the commons and returns the trunk's first commit. `who` overrides git's
/// identity (the demo uses it). With founders, the first commit holds them in the roster
/// and is signed by the founder's key: the root of authority (see `governance`).
pub fn create(dir: &Path, org: &str, trunk: &str, who: Option<&Identity>, founders: Option<&Founders>) -> Result<Oid> {
    if org.trim().is_empty() {
        return Err(fail("the organisation name is empty", "pass --org \"Mass Organization XYZ\""));
    }
    if trunk.is_empty() || trunk.starts_with('-') || !trunk.split('/').all(id::is_valid) {
        return Err(fail(format!("{trunk:?} is not a usable trunk branch name"), "use a lowercase name such as main"));
    }
    // Founders the roster would leave out would found nothing: refused before anything exists.
    if let Some(f) = founders {
        for c in &f.contingents {
            super::roster::require_valid_entry(&layout::contingent(&c.id), c.to_toml().as_bytes())?;
        }
        for m in &f.members {
            super::roster::require_valid_entry(&layout::member(&m.id), m.to_toml().as_bytes())?;
        }
    }
    let existed = dir.exists();
    let mut created = false;
    let repo = match Repo::open_exact(dir)? {
        Some(repo) => {
            if !repo.has_no_refs()? {
                let why = match repo.ref_target(&format!("refs/heads/{trunk}"))? {
                    Some(tip) if repo.blob_at(repo.commit_tree(tip)?, layout::CONFIG)?.is_some() => {
                        "it is already a tribune commons"
                    }
                    _ => "it already has commits, and only an empty repository can be adopted",
                };
                return Err(fail(
                    format!("cannot create a commons in {}: {why}", dir.display()),
                    "choose a new directory (tribune init DIR --org NAME)",
                ));
            }
            repo.set_head_branch(trunk)?;
            repo
        }
        None => {
            if let Ok(mut entries) = std::fs::read_dir(dir) {
                if entries.next().is_some() {
                    return Err(fail(
                        format!("cannot create a commons in {}: the directory is not empty", dir.display()),
                        "choose a new or empty directory",
                    ));
                }
            } else if dir.exists() {
                return Err(fail(format!("{} exists and is not a directory", dir.display()), "choose another path"));
            }
            created = true;
            Repo::init_bare(dir, trunk)?
        }
    };
    let result = (|| -> Result<Oid> {
        if trunk != DEFAULT_TRUNK {
            repo.set_config_string(TRUNK_CONFIG_KEY, trunk)?;
        }
        let config = Config::new(org.trim(), trunk);
        let (commit, ()) = commit_on(&repo, &format!("refs/heads/{trunk}"), |snap| {
            if snap.commit.is_some() {
                return Err(fail(
                    format!("{} became a commons while this one was being created", dir.display()),
                    "use it as it is",
                ));
            }
            let Some(f) = founders else {
                let change =
                    Change::new(message(&format!("init: the commons of {}", org.trim()), &[("Action", "init")]))
                        .put(layout::CONFIG.to_string(), config.to_toml().into_bytes())
                        .by(who);
                return Ok((change, ()));
            };
            let ids: Vec<&str> = f.members.iter().map(|m| m.id.as_str()).collect();
            let groups: Vec<&str> = f.contingents.iter().map(|c| c.id.as_str()).collect();
            let mut change = Change::new(message(
                &format!("init: the commons of {}, founded by {} ({})", org.trim(), ids.join(", "), groups.join(", ")),
                &[("Action", "init"), ("Founders", &ids.join(" "))],
            ))
            .put(layout::CONFIG.to_string(), config.to_toml().into_bytes())
            .by(who);
            for c in &f.contingents {
                change = change.put(layout::contingent(&c.id), c.to_toml().into_bytes());
            }
            for m in &f.members {
                change = change.put(layout::member(&m.id), m.to_toml().into_bytes());
            }
            change.signer = Some(f.signer.clone());
            Ok((change, ()))
        })?;
        Ok(commit)
    })();
    if result.is_err() && created {
        // Leave no half-made repository behind (for example when git has no identity).
        let _ = if existed { clear_dir(dir) } else { std::fs::remove_dir_all(dir) };
    }
    result
}

fn clear_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}
