//! What the authority chain says: the rule a change needed, and what it refused or left
//! out, as data (`output::audit` says them in words; refusals use [`describe`]).

use crate::governance::texts::Owned;
use serde::{Deserialize, Serialize};

/// What the rule says about who may make a change: said in a refusal's hint and in audit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Rule {
    /// A member of this contingent admits, edits or removes its members.
    MemberOfContingent { contingent: String },
    /// Only the member, signing with a key they hold now, changes their keys.
    MemberThemself { member: String },
    /// Contingents and the rules change only by an approved statement.
    ApprovedStatement,
    /// The root of authority is signed by a founder it lists.
    SignedByAFounder,
}

/// Something the chain refuses or leaves out, at a commit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "kebab-case")]
pub enum Finding {
    /// A change made without the authority the rule asks for. `signer` is the member whose
    /// key signed the commit (None: unsigned, or by a key no authorised member has).
    Unauthorised { commit: String, path: String, signer: Option<String>, rule: Rule },
    /// A roster entry tribune would refuse: never in the authorised state.
    InvalidEntry { commit: String, path: String, reason: String },
    /// A second root of authority in a founded commons (judged as an ordinary commit).
    SecondFounding { commit: String },
    /// A founding commit not signed by a founder it lists: the commons stays unfounded.
    UnsignedFounding { commit: String },
    /// The trunk no longer descends from what this clone audited before (a force-push).
    Rewritten { commit: String, audited: String },
    /// The root of authority is not the one this clone remembers (tribune.root; empty
    /// `root`: the commons has none now).
    RootChanged { root: String, remembered: String },
    /// An owned text (an article, a challenge, a reply or a shared filter: `what`) changed by
    /// a commit not signed by a member of the contingent it belonged to before
    /// (`contingent`; None: it named none). See `governance::texts`.
    Overwritten { commit: String, path: String, what: Owned, signer: Option<String>, contingent: Option<String> },
    /// An owned text deleted by a commit not signed by a member of its contingent.
    Deleted { commit: String, path: String, what: Owned, signer: Option<String>, contingent: Option<String> },
    /// A new owned text in the name of a contingent, by a commit not signed by one of its
    /// members.
    ByOutsider { commit: String, path: String, what: Owned, signer: Option<String>, contingent: Option<String> },
    /// A statement's text changed (or removed) after its proposal.
    StatementChanged { commit: String, path: String, removed: bool },
}

impl Finding {
    pub fn commit(&self) -> &str {
        match self {
            Finding::Unauthorised { commit, .. }
            | Finding::InvalidEntry { commit, .. }
            | Finding::SecondFounding { commit }
            | Finding::UnsignedFounding { commit }
            | Finding::Rewritten { commit, .. }
            | Finding::Overwritten { commit, .. }
            | Finding::Deleted { commit, .. }
            | Finding::ByOutsider { commit, .. }
            | Finding::StatementChanged { commit, .. } => commit,
            Finding::RootChanged { root, .. } => root,
        }
    }
    pub fn path(&self) -> Option<&str> {
        match self {
            Finding::Unauthorised { path, .. }
            | Finding::InvalidEntry { path, .. }
            | Finding::Overwritten { path, .. }
            | Finding::Deleted { path, .. }
            | Finding::ByOutsider { path, .. }
            | Finding::StatementChanged { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// What a rule asks, in words (for refusals; `output` words audit's findings).
pub fn describe(rule: &Rule) -> String {
    match rule {
        Rule::MemberOfContingent { contingent } if contingent.is_empty() => {
            "only a member of the entry's contingent may do that, and the entry names none that can be read".into()
        }
        Rule::MemberOfContingent { contingent } => format!("only a member of {contingent} may do that"),
        Rule::MemberThemself { member } => {
            format!("only {member}, signing with their current key, may change their keys")
        }
        Rule::ApprovedStatement => "only an approved joint statement may do that".into(),
        Rule::SignedByAFounder => "the root must be signed by a founder it lists".into(),
    }
}
