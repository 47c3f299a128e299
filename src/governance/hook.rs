//! Enforcement at a hub: a push judged ref by ref before git takes it (the `pre-receive`
//! hook), by the same judgements `audit`, `tally`, `verify` and the ratings use.
//!
//! The push's objects are in git's quarantine while the hook runs; the repository is opened
//! as git's environment names it, so they are read like any other. Nothing is written but
//! the audit's cache, and only for what the trunk's ref already holds: a refused push leaves
//! no trace.
//!
//! Per ref:
//! - the trunk: never deleted, only fast-forwarded; its new commits break no rule of the
//!   authority chain or the article rules (`audit::judge_push`);
//! - `refs/heads/contingents/<id>`: in a founded commons, never deleted, rewritten (a
//!   non-fast-forward) only to a commit signed by a member of `<id>`, and every new commit
//!   the trunk does not hold signed by a member of `<id>`;
//! - `refs/tribune/ballots/<statement>/<member>`: never deleted or rewritten, and every new
//!   commit signed by one of the member's keys (in the authorised roster at the trunk, or at
//!   the proposal);
//! - `refs/notes/tribune/ratings/<rater>`, for a rater who is a member with a key: never
//!   deleted or rewritten, and every new commit signed by one of the rater's keys;
//! - `refs/tribune/channels/<contingent>/<channel>`: never deleted or rewritten, every
//!   version its new tip pins anew found as its article's on the trunk or an edition
//!   (`channels::provenance`), and in a founded commons every new commit signed by a member
//!   of `<contingent>`;
//! - `refs/tribune/member-channels/<member>/<channel>`: the same, every new commit signed by
//!   `<member>` (`acts::channel_standing_at` judges both kinds);
//! - `refs/tags/statements/<slug>`: never deleted or moved, and a new one verifies;
//! - any other ref under tribune's namespaces that does not have its kind's shape is refused.
//!
//! In an unfounded commons there is no roster authority to judge by: the roster, rules,
//! articles and editions are not guarded, the rest is.

use super::authority::Finding;
use crate::commons::Commons;
use crate::git::{Oid, Repo};
use crate::model::layout;
use crate::model::roster::Member;
use crate::signing::Verdict;
use crate::sync::{well_formed, Kind};
use anyhow::Result;
use serde::Serialize;

/// One line of what git gives a pre-receive hook: `<old> <new> <ref>`.
#[derive(Debug, Clone)]
pub struct Update {
    /// None: the ref is created.
    pub old: Option<Oid>,
    /// None: the ref is deleted.
    pub new: Option<Oid>,
    pub refname: String,
}

impl Update {
    /// Parses one line; None when it is not `<40 hex> <40 hex> <ref>`.
    pub fn parse(line: &str) -> Option<Update> {
        let mut parts = line.trim_end_matches(['\n', '\r']).splitn(3, ' ');
        let id = |s: &str| -> Option<Option<Oid>> {
            let oid: Oid = s.parse().ok()?;
            Some((oid != Oid::zero()).then_some(oid))
        };
        let old = id(parts.next()?)?;
        let new = id(parts.next()?)?;
        let refname = parts.next()?.to_string();
        (!refname.is_empty()).then_some(Update { old, new, refname })
    }
}

/// Why a ref update is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "refusal", rename_all = "kebab-case")]
pub enum Refusal {
    /// A ref under tribune's namespaces without its kind's shape.
    Malformed,
    /// The ref would point at something that is not a commit.
    NotACommit {
        object: String,
    },
    TrunkDeleted,
    TrunkNotFastForward {
        old: String,
        new: String,
    },
    /// The pushed trunk has no tribune.toml: it would not be a commons.
    NotACommons,
    /// A commit of the pushed trunk breaks a rule (as `audit` says it).
    Broken {
        finding: Finding,
    },
    EditionDeleted {
        contingent: String,
    },
    EditionRewritten {
        contingent: String,
        signer: Option<String>,
    },
    /// A new commit of a contingent's edition (not on the trunk) not signed by one of its
    /// members.
    EditionNotSigned {
        contingent: String,
        commit: String,
        signer: Option<String>,
    },
    BallotDeleted {
        member: String,
    },
    BallotRewritten {
        member: String,
    },
    BallotNotSigned {
        member: String,
        commit: String,
    },
    NotesDeleted {
        rater: String,
    },
    NotesRewritten {
        rater: String,
    },
    NotesNotSigned {
        rater: String,
        commit: String,
    },
    /// A channel is closed by a commit, never deleted: its editions stay readable.
    ChannelDeleted {
        channel: String,
    },
    ChannelRewritten {
        channel: String,
    },
    /// The new tip is not a channel tribune can read (see `channels::check_tip`).
    ChannelUnreadable {
        channel: String,
        why: String,
    },
    /// The new tip pins, anew, what no branch held as the article it names (see
    /// `channels::provenance`).
    PinNotItsArticle {
        channel: String,
        why: String,
    },
    /// A new commit of a channel made for another one (its Tribune-Channel trailer).
    ChannelOfAnother {
        channel: String,
        commit: String,
        named: String,
    },
    /// A new commit of a contingent's channel not signed by one of its members.
    ChannelNotSigned {
        channel: String,
        contingent: String,
        commit: String,
        signer: Option<String>,
    },
    /// A new commit of a member's own channel not signed by that member.
    MemberChannelNotSigned {
        channel: String,
        member: String,
        commit: String,
        signer: Option<String>,
    },
    TagDeleted,
    TagMoved,
    TagDoesNotVerify {
        problems: Vec<crate::statements::Problem>,
    },
    /// The hub has no commons to judge the ref by (no trunk, and none pushed).
    NoCommons,
}

/// What the hook decided.
#[derive(Debug, Default, Serialize)]
pub struct Judgement {
    /// Whether the commons (as it would be after the push) has a root of authority.
    pub founded: bool,
    /// Whether there is a commons after the push to say that of (none: the trunk deleted,
    /// or never pushed).
    pub has_commons: bool,
    /// Each refused ref with why, in the order git gave them.
    pub refused: Vec<(String, Refusal)>,
}

/// Judges a push: every update, against the commons as it would be after it.
pub fn judge(updates: &[Update]) -> Result<Judgement> {
    let repo = Repo::open_from_env()?;
    let trunk_ref = Commons::trunk_ref_of(&repo);
    let mut out = Judgement::default();
    let trunk_update = updates.iter().find(|u| u.refname == trunk_ref);
    let after = match trunk_update {
        Some(u) => u.new,
        None => repo.ref_target(&trunk_ref)?,
    };
    // The commons as it would be after the push: its trunk at the pushed tip, and the
    // statement tags it adds (an enactment may come with its statement's approval; each tag
    // is itself verified below, and an enactment citing one that does not verify is not
    // authorised by it).
    let tags: std::collections::HashMap<String, Oid> = updates
        .iter()
        .filter_map(|u| Some((u.refname.strip_prefix(crate::statements::TAG_REFS)?.to_string(), u.new?)))
        .collect();
    let commons = match after {
        Some(tip) if repo.commit_if_commit(tip)?.is_some() => {
            // A statement tag is verified against the ballots as the push leaves them.
            let ballots = updates
                .iter()
                .filter(|u| u.refname.starts_with(crate::statements::BALLOT_REFS))
                .map(|u| (u.refname.clone(), u.new))
                .collect();
            Commons::at_tip(Repo::open_from_env()?, tip).ok().map(|c| c.with_tags(tags).with_ballots(ballots))
        }
        _ => None,
    };
    if let Some(c) = &commons {
        out.has_commons = true;
        out.founded = super::audit::audit_root(c)?.is_some();
    }
    // Where a channel's new pins may come from: the trunk and editions the hub holds, and
    // the ones this push brings.
    let mut sources = crate::channels::provenance::Sources::default();
    if let Some(c) = &commons {
        sources = crate::channels::provenance::Sources::of_clone(c, None)?;
        sources.add_trunk(c.trunk_tip()?);
        for u in updates.iter().filter(|u| u.refname.starts_with("refs/heads/contingents/")) {
            if let Some(new) = u.new.filter(|n| repo.commit_if_commit(*n).ok().flatten().is_some()) {
                sources.add_edition(new);
            }
        }
    }
    for u in updates {
        let refusal = match kind_of(&u.refname, &trunk_ref) {
            None => None,
            Some(kind) if !well_formed(&u.refname, kind, &trunk_ref) => Some(Refusal::Malformed),
            Some(Kind::Trunk) => trunk(&repo, commons.as_ref(), u, &mut out.refused)?,
            Some(kind) => match &commons {
                None => Some(Refusal::NoCommons),
                Some(c) => other(c, kind, u, out.founded, &sources)?,
            },
        };
        if let Some(r) = refusal {
            out.refused.push((u.refname.clone(), r));
        }
    }
    Ok(out)
}

/// In a founded commons, every new commit of a channel is its keeper's: signed by a member
/// of its contingent (by the member, for a member's channel), and made for this channel.
fn channel_signers(
    commons: &Commons,
    repo: &Repo,
    id: &crate::channels::ChannelId,
    old: Option<Oid>,
    new: Oid,
) -> Result<Option<Refusal>> {
    let channel = id.to_string();
    let tip = commons.trunk_tip()?;
    for commit in new_commits(repo, old, new)? {
        if let Some(named) = super::acts::names_another_channel(commons, commit, id)? {
            return Ok(Some(Refusal::ChannelOfAnother { channel, commit: commit.to_string(), named }));
        }
        let judged = super::acts::channel_standing_at(commons, tip, commit, id)?;
        if judged.standing != super::acts::Standing::Verified {
            let (commit, signer, owner) = (commit.to_string(), judged.signer, id.owner.clone());
            return Ok(Some(match id.member {
                true => Refusal::MemberChannelNotSigned { channel, member: owner, commit, signer },
                false => Refusal::ChannelNotSigned { channel, contingent: owner, commit, signer },
            }));
        }
    }
    Ok(None)
}

/// The kind of a ref under tribune's namespaces (None: not tribune's).
fn kind_of(refname: &str, trunk_ref: &str) -> Option<Kind> {
    if refname == trunk_ref {
        Some(Kind::Trunk)
    } else if refname.starts_with("refs/heads/contingents/") {
        Some(Kind::Edition)
    } else if refname.starts_with("refs/notes/tribune/") {
        Some(Kind::Notes)
    } else if refname.starts_with(crate::channels::CHANNEL_REFS)
        || refname.starts_with(crate::channels::MEMBER_CHANNEL_REFS)
    {
        Some(Kind::Channel)
    } else if refname.starts_with("refs/tribune/") {
        Some(Kind::Ballots)
    } else if refname.starts_with("refs/tags/statements/") {
        Some(Kind::Tag)
    } else {
        None
    }
}

/// The trunk: fast-forward only, and no rule broken by its new commits (findings are
/// pushed to `refused` one by one, so that each is its own line).
fn trunk(
    repo: &Repo,
    commons: Option<&Commons>,
    u: &Update,
    refused: &mut Vec<(String, Refusal)>,
) -> Result<Option<Refusal>> {
    let Some(new) = u.new else { return Ok(Some(Refusal::TrunkDeleted)) };
    if repo.commit_if_commit(new)?.is_none() {
        return Ok(Some(Refusal::NotACommit { object: new.to_string() }));
    }
    if let Some(old) = u.old {
        if !repo.is_ancestor(old, new)? {
            return Ok(Some(Refusal::TrunkNotFastForward { old: old.to_string(), new: new.to_string() }));
        }
    }
    let Some(commons) = commons else { return Ok(Some(Refusal::NotACommons)) };
    for finding in super::audit::judge_push(commons, u.old, new)? {
        refused.push((u.refname.clone(), Refusal::Broken { finding }));
    }
    Ok(None)
}

/// Every ref but the trunk.
fn other(
    commons: &Commons,
    kind: Kind,
    u: &Update,
    founded: bool,
    sources: &crate::channels::provenance::Sources,
) -> Result<Option<Refusal>> {
    let repo = &commons.repo;
    let last = u.refname.rsplit('/').next().unwrap_or_default().to_string();
    if let (Some(new), true) = (u.new, kind != Kind::Tag) {
        if repo.commit_if_commit(new)?.is_none() {
            return Ok(Some(Refusal::NotACommit { object: new.to_string() }));
        }
    }
    // A statement tag is a tag object, never fast-forwarded (a move is refused below); a
    // ref the hub holds at something that is not a commit is not fast-forwarded either.
    let fast_forward = match (u.old, u.new, kind) {
        (_, _, Kind::Tag) => false,
        (Some(old), Some(new), _) => repo.commit_if_commit(old)?.is_some() && repo.is_ancestor(old, new)?,
        _ => true,
    };
    Ok(match kind {
        Kind::Trunk => None,
        Kind::Edition => {
            if !founded {
                return Ok(None);
            }
            match u.new {
                None => Some(Refusal::EditionDeleted { contingent: last }),
                Some(new) if !fast_forward => {
                    let authority = super::audit::authority_at(commons, commons.trunk_tip()?)?;
                    let signer = authority.signer_of(repo, new)?;
                    let member_of =
                        signer.as_ref().and_then(|s| authority.members.get(s)).map(|m| m.contingent.as_str());
                    (member_of != Some(last.as_str())).then_some(Refusal::EditionRewritten { contingent: last, signer })
                }
                Some(new) => {
                    // Each new commit of the edition (what the trunk does not hold: a merge of
                    // the trunk brings trunk commits, judged as such) is an act in the name
                    // of the contingent.
                    let tip = commons.trunk_tip()?;
                    let hide: Vec<Oid> = u.old.into_iter().chain([tip]).collect();
                    let mut refusal = None;
                    for commit in repo.walk(new, &hide)? {
                        let commit = commit?;
                        let judged = super::acts::standing_at(commons, tip, commit, &[last.as_str()])?;
                        if judged.standing != super::acts::Standing::Verified {
                            refusal = Some(Refusal::EditionNotSigned {
                                contingent: last.clone(),
                                commit: commit.to_string(),
                                signer: judged.signer,
                            });
                            break;
                        }
                    }
                    refusal
                }
            }
        }
        Kind::Ballots => {
            let Some(new) = u.new else { return Ok(Some(Refusal::BallotDeleted { member: last })) };
            if !fast_forward {
                return Ok(Some(Refusal::BallotRewritten { member: last }));
            }
            let statement = u.refname.split('/').nth_back(1).unwrap_or_default().to_string();
            let mut keys = member_keys(commons, commons.trunk_tip()?, &last)?;
            let mut proposal_keys_read = false;
            for commit in new_commits(repo, u.old, new)? {
                if signed_by(repo, commit, &keys)? {
                    continue;
                }
                // A member whose keys changed since the proposal signs with the ones they
                // had then (the electorate's).
                if !proposal_keys_read {
                    proposal_keys_read = true;
                    if let Ok(p) = crate::statements::find(commons, &statement) {
                        keys.extend(member_keys(commons, p.commit, &last)?);
                        if signed_by(repo, commit, &keys)? {
                            continue;
                        }
                    }
                }
                return Ok(Some(Refusal::BallotNotSigned { member: last, commit: commit.to_string() }));
            }
            None
        }
        Kind::Notes => {
            let keys = member_keys(commons, commons.trunk_tip()?, &last)?;
            if keys.is_empty() {
                return Ok(None);
            }
            let Some(new) = u.new else { return Ok(Some(Refusal::NotesDeleted { rater: last })) };
            if !fast_forward {
                return Ok(Some(Refusal::NotesRewritten { rater: last }));
            }
            for commit in new_commits(repo, u.old, new)? {
                if !signed_by(repo, commit, &keys)? {
                    return Ok(Some(Refusal::NotesNotSigned { rater: last, commit: commit.to_string() }));
                }
            }
            None
        }
        Kind::Channel => {
            // `well_formed` let only a channel's shape through.
            let Some(id) = crate::channels::ChannelId::of_ref(&u.refname) else { return Ok(Some(Refusal::Malformed)) };
            let channel = id.to_string();
            let Some(new) = u.new else { return Ok(Some(Refusal::ChannelDeleted { channel })) };
            if !fast_forward {
                return Ok(Some(Refusal::ChannelRewritten { channel }));
            }
            if let Err(e) = crate::channels::check_tip(commons, &id, new) {
                return Ok(Some(Refusal::ChannelUnreadable { channel, why: format!("{e:#}") }));
            }
            // Who signed first: a look through every branch's history for its pins is the
            // costly check, and is made for a keeper's push only.
            if founded {
                if let Some(r) = channel_signers(commons, repo, &id, u.old, new)? {
                    return Ok(Some(r));
                }
            }
            if let Err(e) = crate::channels::provenance::check_new_pins(commons, &id, u.old, new, sources) {
                return Ok(Some(Refusal::PinNotItsArticle { channel, why: format!("{e:#}") }));
            }
            None
        }
        Kind::Tag => match (u.old, u.new) {
            (_, None) => Some(Refusal::TagDeleted),
            (Some(_), Some(_)) => Some(Refusal::TagMoved),
            (None, Some(new)) => {
                let v = crate::statements::verify_tag(commons, &last, new)?;
                (!v.problems.is_empty()).then_some(Refusal::TagDoesNotVerify { problems: v.problems })
            }
        },
    })
}

/// The commits reachable from `new` and not from `old`, oldest first.
fn new_commits(repo: &Repo, old: Option<Oid>, new: Oid) -> Result<Vec<Oid>> {
    let hide: Vec<Oid> = old.into_iter().collect();
    let mut commits: Vec<Oid> = repo.walk(new, &hide)?.collect::<Result<_>>()?;
    commits.reverse();
    Ok(commits)
}

/// Whether `commit` carries a valid signature by one of `keys`.
fn signed_by(repo: &Repo, commit: Oid, keys: &[String]) -> Result<bool> {
    if keys.is_empty() {
        return Ok(false);
    }
    Ok(match repo.commit_signature(commit)? {
        Some((sig, data)) => crate::signing::verify(Some(&sig), &data, keys).0 == Verdict::Verified,
        None => false,
    })
}

/// A member's keys in the authorised roster at `commit` (none: no such member, or an entry
/// that is not valid), read from that one entry.
fn member_keys(commons: &Commons, commit: Oid, member: &str) -> Result<Vec<String>> {
    if crate::model::id::validate("member id", member).is_err() {
        return Ok(Vec::new());
    }
    let path = layout::member(member);
    let Some(blob) = super::audit::authorised_blob(commons, commit, &path)? else { return Ok(Vec::new()) };
    let text = String::from_utf8_lossy(&commons.repo.read_blob(blob)?).into_owned();
    Ok(Member::parse(member, &path, &text).map(|m| m.keys).unwrap_or_default())
}
