//! Who acts, and with which key: the member behind `--as` (or git's email), and the key
//! they sign with, checked against their keys in the roster (vote, approve, propose, rate);
//! and the signer of an act in a contingent's name (contribute, rewrite, update, challenge,
//! reply, a shared filter), judged by `governance::acts` against the authorised roster at
//! the trunk's tip.

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

/// Who makes an act: the key it is signed with, and in the authorised roster at the
/// trunk's tip, the member who holds that key.
pub struct Actor {
    /// `--key`, else git's signing key (None: the act is unsigned).
    pub signer: Option<Signer>,
    /// Whether the commons is founded (an unfounded commons asks nothing of the actor).
    founded: bool,
    /// The authorised member whose key signs, and their contingent (founded commons only),
    /// read from the index of the roster's keys: acting costs one small file, not the roster.
    owner: Option<(String, String)>,
    /// The trunk's tip the actor was judged at.
    tip: crate::git::Oid,
}

impl Actor {
    /// The actor of a command: the key from `--key` or git's configuration (a key that
    /// cannot be read refuses the command), and in a founded commons the authorised roster
    /// it is judged against.
    pub fn new(commons: &Commons, key: Option<&Path>) -> Result<Actor> {
        let signer = crate::signing::configured(&commons.repo, key)?;
        let tip = commons.trunk_tip()?;
        let founded = crate::governance::audit::audit_root(commons)?.is_some();
        let owner = match (&signer, founded) {
            (Some(s), true) => crate::governance::audit::key_owner(commons, tip, &s.public)?,
            _ => None,
        };
        Ok(Actor { signer, founded, owner, tip })
    }

    pub fn founded(&self) -> bool {
        self.founded
    }

    fn public(&self) -> Option<&str> {
        self.signer.as_ref().map(|s| s.public.as_str())
    }

    /// The authorised member whose key signs (founded commons only), as the authorised
    /// roster has them.
    pub fn member(&self, commons: &Commons) -> Result<Option<crate::model::roster::Member>> {
        let Some((id, _)) = &self.owner else { return Ok(None) };
        let path = crate::model::layout::member(id);
        Ok(match crate::governance::audit::authorised_blob(commons, self.tip, &path)? {
            Some(b) => {
                crate::model::roster::Member::parse(id, &path, &String::from_utf8_lossy(&commons.repo.read_blob(b)?))
                    .ok()
            }
            None => None,
        })
    }

    /// The member acting: in a founded commons, the authorised member whose key signs; in an
    /// unfounded one, the member of the roster whose key signs, else the one with git's
    /// email (nothing there is refused, so nothing more is asked of the claim).
    pub fn member_in(&self, commons: &Commons) -> Result<Option<crate::model::roster::Member>> {
        if self.founded() {
            return self.member(commons);
        }
        let snap = commons.snapshot()?;
        if let Some(s) = &self.signer {
            for id in snap.ids(crate::model::layout::MEMBERS)? {
                if let Ok(Some(m)) = snap.member(&id) {
                    if s.is_one_of(&m.keys) {
                        return Ok(Some(m));
                    }
                }
            }
        }
        match member_by_email(commons)? {
            Some(id) => Ok(snap.member(&id).ok().flatten()),
            None => Ok(None),
        }
    }

    /// Refuses, before anything is written, an act in the name of `contingents` that this
    /// actor may not make (in a founded commons: unless signed by a member of each);
    /// `what` names the act. Returns the key to sign the act with.
    pub fn may_act_for(&self, commons: &Commons, what: &str, contingents: &[&str]) -> Result<Option<Signer>> {
        if !self.founded {
            return Ok(self.signer.clone());
        }
        let theirs = self.owner.as_ref().map(|(_, c)| c.as_str());
        if contingents.iter().all(|c| theirs == Some(*c)) {
            return Ok(self.signer.clone());
        }
        // Refused: the whole authorised roster, read now, words the refusal and its hint.
        let authority = crate::governance::audit::authority_at(commons, self.tip)?;
        crate::governance::acts::check(&authority, what, contingents, self.public())?;
        Ok(self.signer.clone())
    }
}

impl Actor {
    /// Refuses, before anything is written, a change of the channel `id` that this actor may
    /// not make (`governance::acts::check_channel`: a contingent's channel in the
    /// contingent's name, a member's own only by the member); `what` names the change.
    /// Returns the key to sign it with.
    pub fn may_act_on_channel(
        &self,
        commons: &Commons,
        what: &str,
        id: &crate::channels::ChannelId,
    ) -> Result<Option<Signer>> {
        if !id.member {
            return self.may_act_for(commons, what, &[&id.owner]);
        }
        let signer = self.owner.as_ref().map(|(m, c)| (m.as_str(), c.as_str()));
        crate::governance::acts::check_channel(self.founded, id, what, signer)?;
        Ok(self.signer.clone())
    }
}

/// The signer of an act in the name of `contingents` (see [`Actor::may_act_for`]).
pub fn acting_for(commons: &Commons, what: &str, contingents: &[&str], key: Option<&Path>) -> Result<Option<Signer>> {
    Actor::new(commons, key)?.may_act_for(commons, what, contingents)
}
