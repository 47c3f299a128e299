//! Acts in a contingent's name: who may make one, and what a commit's signature says of
//! one already made. The same judgement serves the commands that write acts (refused
//! before anything is written) and the commands that read them (`log`, `versions`).
//!
//! An act speaks for one or more contingents: a contribution or an update for the
//! contingent its front matter names (and, for an update, for the one it replaces), a
//! rewrite or an edition update for the edition's contingent, a challenge for `--from`, a
//! reply for `--as`. In a founded commons an act needs a signature by a member of every
//! contingent it speaks for, in the authorised roster ([`Authority`]); in an unfounded one
//! nothing is refused, and the same check only says what the signature shows.

use super::authority::{describe, Authority, Rule};
use crate::git::{Oid, Repo};
use crate::signing::keyring::Signed;
use anyhow::Result;
use serde::Serialize;

/// What a signature says of an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Signed by a member of every contingent the act speaks for.
    Verified,
    /// Not signed at all.
    Unsigned,
    /// Signed, but not validly by a member of every contingent it speaks for: by someone
    /// else, by a key no member holds, or with a signature that does not match.
    Unauthorised,
}

impl Standing {
    pub fn name(&self) -> &'static str {
        match self {
            Standing::Verified => "verified",
            Standing::Unsigned => "unsigned",
            Standing::Unauthorised => "unauthorised",
        }
    }
}

/// An act's standing and the member whose key signed it (valid signature only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub standing: Standing,
    pub signer: Option<String>,
}

/// Who may act in the name of `contingent`.
pub fn rule(contingent: &str) -> Rule {
    Rule::MemberOfContingent { contingent: contingent.to_string() }
}

/// Refuses, before anything is written, an act that `signer` (a public key line, None
/// when unsigned) may not make in the name of each of `contingents`; `what` names the act
/// ("contribute the article \"port\""). Nothing is refused in an unfounded commons.
pub fn check(authority: &Authority, what: &str, contingents: &[&str], signer: Option<&str>) -> Result<()> {
    if !authority.founded {
        return Ok(());
    }
    let who = signer.and_then(|k| authority.member_with_key(k));
    for c in contingents {
        let rule = rule(c);
        if authority.allows(&rule, who.as_deref()) {
            continue;
        }
        let acting = match (&who, signer) {
            (Some(m), _) => {
                let of = authority.members.get(m).map(|m| m.contingent.as_str()).unwrap_or("");
                format!("{m} (a member of {of}) may not")
            }
            (None, Some(_)) => "the signing key belongs to no member of the roster, so it may not".to_string(),
            (None, None) => "an unsigned commit may not".to_string(),
        };
        return Err(crate::error::fail(
            format!("{acting} {what} in the name of {c}: {}", describe(&rule)),
            hint(authority, c),
        ));
    }
    Ok(())
}

/// Who may act for `contingent`, and how: for a refusal's hint.
pub fn hint(authority: &Authority, contingent: &str) -> String {
    let who: Vec<&str> =
        authority.members.values().filter(|m| m.contingent == contingent).map(|m| m.id.as_str()).collect();
    if who.is_empty() {
        format!("{contingent} has no member in the authorised roster to sign it")
    } else {
        format!("sign with the key of a member of {contingent} (--key FILE): {}", who.join(", "))
    }
}

/// The standing of the commit `commit` as an act in the name of each of `contingents`,
/// judged against `authority`: one signature check.
pub fn standing(authority: &Authority, repo: &Repo, commit: Oid, contingents: &[&str]) -> Result<Judged> {
    let Some((sig, data)) = repo.commit_signature(commit)? else {
        return Ok(Judged { standing: Standing::Unsigned, signer: None });
    };
    Ok(match authority.keys.check(Some(&sig), &data) {
        Signed::By { member, valid: true } => {
            let of = authority.members.get(&member).map(|m| m.contingent.as_str());
            let all = !contingents.is_empty() && contingents.iter().all(|c| of == Some(*c));
            let standing = if all { Standing::Verified } else { Standing::Unauthorised };
            Judged { standing, signer: Some(member) }
        }
        _ => Judged { standing: Standing::Unauthorised, signer: None },
    })
}

/// [`standing`] by the authorised roster at `at`, read from the index of the roster's keys:
/// one small file per roster state, not the roster (what `log` and `versions` ask per row).
pub fn standing_at(commons: &crate::commons::Commons, at: Oid, commit: Oid, contingents: &[&str]) -> Result<Judged> {
    if commons.repo.commit_signature(commit)?.is_none() {
        return Ok(Judged { standing: Standing::Unsigned, signer: None });
    }
    Ok(match super::audit::signer_at(commons, at, commit)? {
        Some((member, of)) => {
            let all = !contingents.is_empty() && contingents.iter().all(|c| of == *c);
            Judged { standing: if all { Standing::Verified } else { Standing::Unauthorised }, signer: Some(member) }
        }
        None => Judged { standing: Standing::Unauthorised, signer: None },
    })
}

/// The standing of `commit` as an act on the channel `id`, by the authorised roster at `at`:
/// a contingent's channel is changed in the contingent's name (signed by any of its
/// members); a member's own channel only by that member. The one judgement of who may
/// write a channel: the commands (through [`check_channel`]), the hook, sync and the
/// readers (`channels::unverified`) all ask it.
pub fn channel_standing_at(
    commons: &crate::commons::Commons,
    at: Oid,
    commit: Oid,
    id: &crate::channels::ChannelId,
) -> Result<Judged> {
    // A commit made for another channel, copied under this one's ref, is no act on this one.
    if names_another_channel(commons, commit, id)?.is_some() {
        let signer = super::audit::signer_at(commons, at, commit)?.map(|(m, _)| m);
        return Ok(Judged { standing: Standing::Unauthorised, signer });
    }
    if !id.member {
        return standing_at(commons, at, commit, &[id.owner.as_str()]);
    }
    if commons.repo.commit_signature(commit)?.is_none() {
        return Ok(Judged { standing: Standing::Unsigned, signer: None });
    }
    Ok(match super::audit::signer_at(commons, at, commit)? {
        Some((member, _)) => {
            let standing = if member == id.owner { Standing::Verified } else { Standing::Unauthorised };
            Judged { standing, signer: Some(member) }
        }
        None => Judged { standing: Standing::Unauthorised, signer: None },
    })
}

/// The channel `commit` says it acts on (its `Tribune-Channel` trailer, which every
/// commit tribune makes on a channel carries), when that is another than `id`: a signed
/// commit of one channel copied under another's ref (a closed channel brought back under
/// a new name) is no act on it.
pub fn names_another_channel(
    commons: &crate::commons::Commons,
    commit: Oid,
    id: &crate::channels::ChannelId,
) -> Result<Option<String>> {
    let info = commons.repo.commit(commit)?;
    Ok(info.trailer("Tribune-Channel").map(str::trim).filter(|named| *named != id.to_string()).map(str::to_string))
}

/// Refuses, before anything is written, a change of the channel `id` (`what` names it) by
/// a signer that is `signer` (the authorised member whose key signs, None: unsigned or
/// nobody's key) and a member of `signer_contingent`: a contingent's channel takes a member
/// of the contingent, a member's channel the member. Nothing is refused in an unfounded
/// commons (`founded` false).
pub fn check_channel(
    founded: bool,
    id: &crate::channels::ChannelId,
    what: &str,
    signer: Option<(&str, &str)>,
) -> Result<()> {
    if !founded {
        return Ok(());
    }
    let allowed = match signer {
        Some((member, contingent)) => {
            if id.member {
                member == id.owner
            } else {
                contingent == id.owner
            }
        }
        None => false,
    };
    if allowed {
        return Ok(());
    }
    let acting = match signer {
        Some((m, c)) => format!("{m} (a member of {c}) may not"),
        None => "an unsigned commit, or one whose key belongs to no member of the roster, may not".to_string(),
    };
    let (rule, hint) = if id.member {
        (format!("only {} signs their own channels", id.owner), format!("sign with {}'s key (--key FILE)", id.owner))
    } else {
        (
            format!("a member of {} signs its channels", id.owner),
            format!("sign with the key of a member of {}", id.owner),
        )
    };
    Err(crate::error::fail(format!("{acting} {what}: {rule}"), hint))
}
