//! Who acts, and with which key: the member behind `--as` (or git's email), and the key
//! they sign with, checked against their keys in the roster. Shared by every command that
//! acts as a member: vote, approve, propose, rate.

use crate::commons::Commons;
use crate::error::fail;
use crate::signing::Signer;
use anyhow::{Context, Result};
use std::path::Path;

/// The member with git's email (as git picks the author's email: environment, then config).
pub fn member_by_email(commons: &Commons) -> Result<Option<String>> {
    let email = std::env::var("GIT_AUTHOR_EMAIL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| commons.repo.config_string("user.email"));
    let Some(email) = email else { return Ok(None) };
    // An entry that does not parse is nobody's: it must not stop a command that only looks
    // for the actor (`audit` names it).
    let snap = commons.snapshot()?;
    for id in snap.ids(crate::model::layout::MEMBERS)? {
        if let Ok(Some(m)) = snap.member(&id) {
            if m.email.eq_ignore_ascii_case(&email) {
                return Ok(Some(m.id));
            }
        }
    }
    Ok(None)
}

/// `--as MEMBER`, else the member with git's email, else an error saying how to choose.
pub fn member_for(commons: &Commons, given: Option<&str>, verb: &str) -> Result<String> {
    if let Some(m) = given {
        crate::model::id::validate("member id", m).context("--as")?;
        return Ok(m.to_string());
    }
    member_by_email(commons)?.ok_or_else(|| {
        fail(
            "no member of the roster has git's email (user.email or GIT_AUTHOR_EMAIL)",
            format!("{verb} as a member with --as MEMBER, or set user.email to the member's email"),
        )
    })
}

/// The key a member signs with: it must be one of the member's keys in `keys`.
pub fn signer_for(commons: &Commons, member: &str, keys: &[String], key: Option<&Path>) -> Result<Signer> {
    if keys.is_empty() {
        return Err(fail(
            format!("{member} has no key in the roster the vote uses, so cannot sign"),
            format!("add one with `tribune roster add-member {member} --key …` before a statement is proposed"),
        ));
    }
    let Some(signer) = crate::signing::configured(&commons.repo, key)? else {
        return Err(fail(
            "no signing key: a ballot or an approval must be signed",
            "pass --key FILE (your SSH private key, or its .pub with the key in ssh-agent), \
             or set git's user.signingkey with gpg.format=ssh",
        ));
    };
    if !signer.is_one_of(keys) {
        return Err(fail(
            format!(
                "the key {} is not one of {member}'s keys",
                signer.public.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
            ),
            format!("sign with the key registered in roster/members/{member}.toml"),
        ));
    }
    Ok(signer)
}

/// The member with git's email, for `rate` (a rater need not be a member: the error says
/// how to rate as someone else).
pub fn rater_by_email(commons: &Commons) -> Result<String> {
    member_by_email(commons)?.ok_or_else(|| {
        fail(
            "no member of the roster has git's email (user.email or GIT_AUTHOR_EMAIL)",
            "rate as someone with --as RATER (a rating service need not be a member)",
        )
    })
}

/// The key a rater signs with: when the rater has keys in the roster, it must be one of
/// them, and none configured means the rating will show as forged (an event says so); a
/// rater without keys may sign or not.
pub fn rater_signer(commons: &Commons, rater: &str, key: Option<&Path>) -> Result<Option<Signer>> {
    let keys = crate::ratings::keys_of(&commons.snapshot()?, rater)?;
    let signer = crate::signing::configured(&commons.repo, key)?;
    match (&signer, keys.is_empty()) {
        (Some(s), false) if !s.is_one_of(&keys) => Err(fail(
            format!("the signing key {} is not one registered for {rater}", s.public),
            format!("sign with one of {rater}'s keys in roster/members/{rater}.toml"),
        )),
        (None, false) => {
            crate::events::emit(crate::events::Event::UnsignedRating { rater: rater.to_string() });
            Ok(None)
        }
        _ => Ok(signer),
    }
}
