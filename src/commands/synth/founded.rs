//! A founded synthetic commons: the synthetic members get keys in a founding commit signed
//! by the first of them, then `n` more members are admitted one signed commit each, as
//! `roster add-member --key` would make them (for the audit and hook benchmarks).

use super::Args;
use crate::commons::message;
use crate::git::{Edit, Identity, Oid, Repo};
use crate::model::layout;
use crate::model::roster::Member;
use anyhow::{Context, Result};

fn key(member: &str) -> ssh_key::PrivateKey {
    crate::signing::keyring::derived_key(&format!("synth member {member}"))
}

/// The signer of a synthetic member (its key derived from its id).
pub fn signer(member: &str) -> Result<crate::signing::Signer> {
    crate::signing::Signer::from_private_key(key(member))
}

fn public(member: &str) -> Result<String> {
    key(member).public_key().to_openssh().context("could not encode a key")
}

/// Founds the commons at `tip` and admits `args.founded` members; returns the new tip. The
/// key of m001-0 (a member of c001) is written to `<DIR>/tribune/synth-member-key`.
pub fn build(
    repo: &Repo,
    dir: &std::path::Path,
    args: &Args,
    mut tip: Oid,
    who: &mut dyn FnMut() -> Identity,
) -> Result<Oid> {
    let mut edits = Vec::new();
    for i in 0..args.contingents {
        for j in 0..3 {
            let mid = format!("m{i:03}-{j}");
            let m = Member {
                id: mid.clone(),
                name: format!("Member {i}-{j}"),
                contingent: format!("c{i:03}"),
                email: format!("{mid}@example.org"),
                keys: vec![public(&mid)?],
            };
            edits.push(Edit::Put { path: layout::member(&mid), blob: repo.write_blob(m.to_toml().as_bytes())? });
        }
    }
    let mut tree = repo.edit_tree(Some(repo.commit_tree(tip)?), &edits)?;
    let founder = signer("m000-0")?;
    let id = who();
    let msg = message("found: the synthetic organisation", &[("Action", "found"), ("Founders", "m000-0")]);
    tip = repo.write_commit(tree, &[tip], &id, &id, &msg, Some(&|d| founder.sign(d)))?;
    let signers: Vec<crate::signing::Signer> =
        (0..args.contingents).map(|i| signer(&format!("m{i:03}-0"))).collect::<Result<_>>()?;
    let progress = crate::progress::start("admitting members", Some(args.founded as u64));
    for n in 0..args.founded {
        let c = n % args.contingents;
        let mid = format!("n{n:05}");
        let m = Member {
            id: mid.clone(),
            name: format!("New member {n}"),
            contingent: format!("c{c:03}"),
            email: format!("{mid}@example.org"),
            keys: vec![public(&mid)?],
        };
        let blob = repo.write_blob(m.to_toml().as_bytes())?;
        tree = repo.edit_tree(Some(tree), &[Edit::Put { path: layout::member(&mid), blob }])?;
        let id = who();
        let msg = message(&format!("roster: admit {mid}"), &[("Action", "roster"), ("Member", &mid)]);
        tip = repo.write_commit(tree, &[tip], &id, &id, &msg, Some(&|d| signers[c].sign(d)))?;
        progress.advance(1);
    }
    progress.finish();
    let state = dir.join("tribune");
    std::fs::create_dir_all(&state).with_context(|| format!("could not create {}", state.display()))?;
    key("m001-0")
        .write_openssh_file(&state.join("synth-member-key"), ssh_key::LineEnding::LF)
        .context("could not write the member key")?;
    Ok(tip)
}
