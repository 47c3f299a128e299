//! `tribune update`: bring a contingent's edition up to the current trunk.

use super::Ctx;
use crate::commons::{commit_on, message, Change};
use crate::error::fail;
use crate::git::{Oid, RefUpdate};
use crate::index::{slug_of_text_path, CONTINGENT_BRANCHES};
use crate::model::id;
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Bring a contingent's edition up to the current trunk.
///
/// New and updated trunk articles arrive on `contingents/ID`; the contingent's own
/// rewrites are kept. A rewrite whose trunk text changed meanwhile is kept too, and
/// reported stale (see `tribune versions`). The result is a merge commit whose second
/// parent is the trunk, or a fast-forward when the edition has no rewrites of its own.
///
/// The merge is signed with --key (or git's user.signingkey). In a founded commons only a
/// member of the contingent may update its edition, signing with their key.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contingent whose edition to update.
    #[arg(long, value_name = "ID")]
    pub contingent: String,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Serialize)]
struct Updated {
    branch: String,
    trunk: String,
    commit: Option<String>,
    /// `already up to date`, `fast-forward` or `merge`.
    how: String,
    taken_from_trunk: usize,
    rewrites_kept: usize,
    stale: Vec<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("contingent id", &args.contingent).context("--contingent")?;
    commons.snapshot()?.require_contingent(&args.contingent)?;
    let what = format!("update the edition contingents/{}", args.contingent);
    let signer = crate::commons::actor::acting_for(&commons, &what, &[&args.contingent], args.signing.key.as_deref())?;
    let repo = &commons.repo;
    let refname = format!("{CONTINGENT_BRANCHES}{}", args.contingent);
    let branch = format!("contingents/{}", args.contingent);
    let Some(first_tip) = repo.ref_target(&refname)? else {
        let hint = match crate::index::editions(&commons)?.find(&args.contingent) {
            Some(remote) => format!(
                "a copy fetched from a remote exists: start the local edition from it with `git branch {branch} {}`",
                remote.label
            ),
            None => format!("it starts with the first rewrite: tribune rewrite SLUG --contingent {}", args.contingent),
        };
        return Err(fail(
            format!("the contingent {:?} has no local edition ({branch} does not exist)", args.contingent),
            hint,
        ));
    };
    let trunk = commons.trunk_tip()?;
    // What each of the edition's own texts was rewritten from.
    let own = match crate::index::editions(&commons)?.list.iter().find(|e| e.refname == refname) {
        Some(e) => e.versions()?,
        None => Default::default(),
    };
    let trunk_base_of = |slug: &str| -> Option<String> { own.get(slug).map(|v| v.trunk_base.clone()) };
    let mut out = Updated { branch: branch.clone(), trunk: trunk.to_string(), ..Default::default() };
    if repo.is_ancestor(trunk, first_tip)? {
        out.how = "already up to date".into();
    } else if repo.is_ancestor(first_tip, trunk)? {
        if repo.update_ref(&refname, trunk, Some(first_tip), &format!("tribune: update {branch} to the trunk"))?
            == RefUpdate::Moved
        {
            return Err(fail(format!("{branch} moved while it was being updated"), "run the update again"));
        }
        out.how = "fast-forward".into();
        out.commit = Some(trunk.to_string());
        out.taken_from_trunk =
            repo.changed_paths(Some(repo.commit_tree(first_tip)?), repo.commit_tree(trunk)?, "")?.len();
    } else {
        let (commit, stats) = commit_on(repo, &refname, |snap| {
            let tip = snap.commit.context("the edition branch disappeared")?;
            let fork = repo.merge_base(trunk, tip)?.map(|f| repo.commit_tree(f)).transpose()?;
            let own: BTreeMap<String, Option<Oid>> =
                repo.changed_paths(fork, repo.commit_tree(tip)?, "")?.into_iter().map(|c| (c.path, c.new)).collect();
            let mut change = Change::new(message(
                &format!("update: bring {branch} up to the trunk"),
                &[("Action", "update-edition"), ("Contingent", &args.contingent), ("Trunk", &trunk.to_string())],
            ));
            change.extra_parents.push(trunk);
            change.signer = signer.clone();
            let mut stats = Updated::default();
            for c in repo.changed_paths(fork, repo.commit_tree(trunk)?, "")? {
                match own.get(&c.path) {
                    // The contingent changed this file too: its text stays, and is stale
                    // unless it was rewritten from the trunk's new text already.
                    Some(mine) => {
                        if let (Some(slug), true) = (slug_of_text_path(&c.path), *mine != c.new) {
                            let current = c.new.is_some_and(|n| trunk_base_of(slug).as_deref() == Some(&n.to_string()));
                            if !current {
                                stats.stale.push(slug.to_string());
                            }
                        }
                    }
                    None => {
                        stats.taken_from_trunk += 1;
                        match c.new {
                            Some(blob) => change.links.push((c.path, blob)),
                            None => change.removes.push(c.path),
                        }
                    }
                }
            }
            stats.rewrites_kept = own.keys().filter(|p| slug_of_text_path(p).is_some()).count();
            Ok((change, stats))
        })?;
        out = Updated { commit: Some(commit.to_string()), how: "merge".into(), ..stats };
        out.branch = branch.clone();
        out.trunk = trunk.to_string();
    }
    if args.json {
        return print_json(&out);
    }
    let mut text = match out.how.as_str() {
        "already up to date" => {
            format!("{branch} already includes the trunk ({}).", crate::output::short(&out.trunk, 10))
        }
        how => format!(
            "Updated {branch} to the trunk {} ({how}): {} file{} taken from the trunk, {} rewrite{} kept.",
            crate::output::short(&out.trunk, 10),
            out.taken_from_trunk,
            if out.taken_from_trunk == 1 { "" } else { "s" },
            out.rewrites_kept,
            if out.rewrites_kept == 1 { "" } else { "s" }
        ),
    };
    if !out.stale.is_empty() {
        text.push_str(&format!(
            "\nStale (the trunk changed the text these rewrites started from; they were kept as they are):\n  {}\nCompare with `tribune diff SLUG trunk {}`.",
            out.stale.join("\n  "),
            args.contingent
        ));
    }
    print(&text)
}
