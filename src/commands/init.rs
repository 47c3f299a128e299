//! `tribune init`: create a commons (a bare git repository with `tribune.toml`).

use super::Ctx;
use crate::commons::DEFAULT_TRUNK;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Create a new commons, or adopt an empty git repository as one.
///
/// A new commons is a bare git repository (no work tree: tribune writes git objects and
/// refs directly, and `git clone` gives anyone a checkout). Its trunk holds one commit
/// adding `tribune.toml`: the organisation's name, the trunk branch, the voting defaults
/// (threshold 2/3 of votes cast, quorum 1/2) and the rating dimensions.
///
/// With `--founder`, the commons is founded: the first commit also holds the first
/// contingent and its first member with their key, and is signed with that key. That
/// commit is the commons' identity and the root of its authority: from then on every change
/// to the roster or the rules must be signed by someone the roster at its parent authorises
/// (see `tribune audit` and `man 5 tribune-format`). Without it the commons is unfounded:
/// anyone who can push may change the roster.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the new commons (created if missing; must be empty or an empty git repository).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The organisation's name, used when signing in its name ("… contingent of NAME").
    #[arg(long, value_name = "NAME")]
    pub org: String,
    /// Name of the trunk branch.
    #[arg(long, value_name = "BRANCH", default_value = DEFAULT_TRUNK)]
    pub trunk: String,
    /// Found the commons: the id of its first member, who signs the first commit.
    #[arg(long, value_name = "ID", requires = "contingent")]
    pub founder: Option<String>,
    /// With --founder: the id of the first contingent, the founder's.
    #[arg(long, value_name = "ID", requires = "founder")]
    pub contingent: Option<String>,
    /// With --founder: the first contingent's full name (default: its id).
    #[arg(long, value_name = "NAME", requires = "founder")]
    pub contingent_name: Option<String>,
    /// With --founder: the founder's name (default: git's user.name).
    #[arg(long, value_name = "NAME", requires = "founder")]
    pub name: Option<String>,
    /// With --founder: the founder's email (default: git's user.email).
    #[arg(long, value_name = "EMAIL", requires = "founder")]
    pub email: Option<String>,
    /// With --founder: the founder's SSH private key file, or its .pub with the key in
    /// ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE", requires = "founder")]
    pub key: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.dir.join(d),
        None => ctx.dir.clone(),
    };
    let founders = match &args.founder {
        Some(id) => Some(founders(id, &args)?),
        None => None,
    };
    let commit = crate::commons::create(&dir, &args.org, &args.trunk, None, founders.as_ref())?;
    let shown = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if let Some(f) = &founders {
        return crate::output::print(&format!(
            "Founded the commons of {:?} in {} (trunk {}).\n\
             Its identity, the root commit signed by {}: {}\n\
             Next: admit members of {c} (signed with your key), then contribute:\n  \
             tribune -C {d} roster add-member ID --contingent {c} \\\n      \
             --name NAME --email EMAIL --key-file THEIR-KEY.pub{key}\n  \
             tribune -C {d} contribute article.md{key}",
            args.org,
            dir.display(),
            args.trunk,
            f.members[0].id,
            commit,
            c = f.contingents[0].id,
            key = args.key.as_ref().map(|k| format!(" --key {}", k.display())).unwrap_or_default(),
            d = shown.display()
        ));
    }
    crate::output::print(&format!(
        "Created the commons of {:?} in {} (trunk {}, commit {}).\n\
         Next: add a contingent and a member, then contribute an article:\n  \
         tribune -C {d} roster add-contingent abc --name \"ABC Collective\"\n  \
         tribune -C {d} roster add-member rlopez --contingent abc --name \"R. Lopez\" --email r@example.org\n  \
         tribune -C {d} contribute article.md",
        args.org,
        dir.display(),
        args.trunk,
        commit.short(10),
        d = shown.display()
    ))
}

/// The founders from the flags: the member's name and email default to git's identity,
/// and their key is the one that signs.
fn founders(id: &str, args: &Args) -> Result<crate::commons::Founders> {
    use crate::error::fail;
    use crate::model::roster::{Contingent, Member};
    crate::model::id::validate("member id", id).context("--founder")?;
    let contingent = args.contingent.clone().unwrap_or_default();
    crate::model::id::validate("contingent id", &contingent).context("--contingent")?;
    // git's identity and signing key, as git would read them before the commons exists.
    let who = |flag: &Option<String>, key: &str, env: &str| {
        flag.clone()
            .or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
            .or_else(|| crate::git::Repo::default_config_string(key))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let name = who(&args.name, "user.name", "GIT_AUTHOR_NAME");
    let email = who(&args.email, "user.email", "GIT_AUTHOR_EMAIL");
    if name.is_empty() {
        return Err(fail("the founder has no name", "pass --name \"Rosa Lopez\" (or set git's user.name)"));
    }
    if name.chars().any(char::is_control) {
        return Err(fail(
            format!("the founder's name {name:?} holds a control character"),
            "pass --name \"Rosa Lopez\", in printable characters",
        ));
    }
    if !email.contains('@') || email.contains(char::is_whitespace) || email.contains(['<', '>']) {
        return Err(fail(format!("{email:?} is not an email address"), "pass --email name@example.org"));
    }
    let signer = match &args.key {
        Some(k) => crate::signing::Signer::from_file(k)?,
        None => crate::signing::configured_outside(None)?.ok_or_else(|| {
            fail(
                "no key to sign the founding commit with",
                "pass --key FILE (your SSH private key, or its .pub with the key in ssh-agent), or set git's \
                 user.signingkey with gpg.format=ssh",
            )
        })?,
    };
    let contingent_name = args.contingent_name.clone().unwrap_or_else(|| contingent.clone());
    Ok(crate::commons::Founders {
        contingents: vec![Contingent {
            id: contingent.clone(),
            name: contingent_name.trim().to_string(),
            description: String::new(),
            url: String::new(),
        }],
        members: vec![Member { id: id.to_string(), name, contingent, email, keys: vec![signer.public.clone()] }],
        signer,
    })
}
