//! The authority chain: who may change the roster and the rules, judged commit by commit.
//!
//! A founded commons has a root of authority: a commit carrying `Tribune-Founders` (the
//! trunk's first commit, made by `init --founder`, or a later one made by `found` on a
//! commons that had none), signed by a founder's key listed in that commit's own roster.
//! From there every change to a governed file (`roster/members/*.toml`,
//! `roster/contingents/*.toml`, `tribune.toml`) is judged against the *authorised* state at
//! the commit's parent: a member is admitted or removed by a member of their contingent, a
//! member's keys change only by a commit signed with one of that member's own keys, and
//! contingents and the rules change only by an approved statement (not yet: such changes
//! are refused). A change that is not authorised stays in the tree (git cannot refuse it
//! after the fact) but not in the authorised state: the electorate, and every check of a
//! member's key, use the authorised state. A commons with no root of authority is
//! *unfounded*: every change is accepted as before, but invalid entries are still left out.
//!
//! This module is the one judgement; `audit` walks the history with it and caches the
//! results, `roster` asks it before writing, the tally takes its electorate from it.

use crate::git::{CommitInfo, Oid, Repo};
use crate::model::layout;
use crate::model::roster::{Contingent, Member};
use crate::signing::keyring::{KeyRing, Signed};
use anyhow::Result;
use ssh_key::public::KeyData;

use std::collections::BTreeMap;

mod entries;
mod findings;
mod judge;
use entries::{read_entry, Entry};
pub use findings::{describe, Finding, Rule};

/// A change that a commit says an approved statement enacts.
pub struct Enactment<'a> {
    pub statement: &'a str,
    pub path: &'a str,
    /// The authorised value before (None: absent) and the value after.
    pub old: Option<Oid>,
    pub new: Option<Oid>,
    /// The parents of the commit that applies it (where to look back from).
    pub parents: &'a [Oid],
}

/// Whether an approved statement authorises a change: the walk that judges commits
/// answers it.
pub type Enacted<'a> = &'a dyn Fn(&Enactment<'_>) -> Result<bool>;

/// The trailer that marks a root of authority, naming the founders.
pub const FOUNDERS: &str = "Tribune-Founders";

/// Whether a path is one whose changes the chain judges.
pub fn governed(path: &str) -> bool {
    path == layout::CONFIG || entry_of(path).is_some()
}

/// Why the roster would refuse the entry `bytes` at `path` on its own (None: it would take
/// it): the very checks the audit makes of each entry that need no other entry (the id, the
/// file, a plain one-line name, the email, the keys), so that a command never writes an
/// entry the roster then leaves out.
pub fn entry_problem(path: &str, bytes: &[u8], founded: bool) -> Option<String> {
    match read_entry(path, bytes.to_vec(), founded) {
        Entry::Invalid(why) => Some(why),
        _ => None,
    }
}

/// The kind and id of a roster file.
fn entry_of(path: &str) -> Option<(Kind, &str)> {
    let (dir, file) = path.rsplit_once('/')?;
    let id = file.strip_suffix(".toml")?;
    match dir {
        layout::MEMBERS => Some((Kind::Member, id)),
        layout::CONTINGENTS => Some((Kind::Contingent, id)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Member,
    Contingent,
}

/// The authorised state of the roster and rules at one commit.
#[derive(Clone, Default)]
pub struct Authority {
    /// Whether a root of authority has been passed: before it, every change is accepted.
    pub founded: bool,
    /// The root of authority.
    pub root: Option<Oid>,
    pub members: BTreeMap<String, Member>,
    pub contingents: BTreeMap<String, Contingent>,
    /// Governed paths whose authorised blob differs from the commit's tree (None: the
    /// authorised state has no such file). Empty on an honest history.
    pub overrides: BTreeMap<String, Option<Oid>>,
    /// Governed paths present in the tree but left out of the authorised state as invalid,
    /// with why.
    pub invalid: BTreeMap<String, String>,
    pub keys: KeyRing,
    /// The authorised blob of each governed path (what `overrides` corrects the tree to).
    blobs: BTreeMap<String, Oid>,
    /// The rules say members are admitted and removed by approved statement only
    /// (`[rules] members = "statement"`).
    members_by_statement: bool,
    /// Each authorised member's email, lower-cased (no two members share one).
    emails: std::collections::HashMap<String, String>,
}

impl Authority {
    /// A founded state with nobody in it: what a history that never descended from the root
    /// holds.
    pub fn nobody(root: Option<Oid>) -> Authority {
        Authority { founded: true, root, ..Authority::default() }
    }

    /// The member whose authorised key made a commit's signature (valid), if any.
    pub fn signer_of(&self, repo: &Repo, commit: Oid) -> Result<Option<String>> {
        Ok(match repo.commit_signature(commit)? {
            Some((sig, data)) => match self.keys.check(Some(&sig), &data) {
                Signed::By { member, valid: true } => Some(member),
                _ => None,
            },
            None => None,
        })
    }

    /// The authorised blob at a governed path.
    pub fn blob(&self, path: &str) -> Option<Oid> {
        self.blobs.get(path).copied()
    }

    /// Sets a governed path to `blob` in the authorised state (parsing the entry); why not,
    /// when the entry is invalid (the path is then absent from the state).
    fn set(&mut self, repo: &Repo, path: &str, blob: Option<Oid>) -> Result<Option<String>> {
        self.unset(path);
        let Some(blob) = blob else { return Ok(None) };
        let bytes = repo.read_blob(blob)?;
        Ok(self.set_read(path, blob, bytes))
    }

    /// [`Authority::set`] with the entry's bytes already read (the path is unset).
    fn set_read(&mut self, path: &str, blob: Oid, bytes: Vec<u8>) -> Option<String> {
        let entry = read_entry(path, bytes, self.founded);
        self.take(path, blob, entry)
    }

    /// Takes an entry read by [`read_entry`] into the state at `path` (unset), after the
    /// checks that need the rest of the state; why not, when it is refused.
    fn take(&mut self, path: &str, blob: Oid, entry: Entry) -> Option<String> {
        let problem = match entry {
            Entry::Invalid(why) => Some(why),
            Entry::Member(m, keys) => match self.member_fits(&m, &keys) {
                Ok(()) => {
                    self.keys.insert_keys(&m.id, keys);
                    self.emails.insert(m.email.to_lowercase(), m.id.clone());
                    self.members.insert(m.id.clone(), m);
                    None
                }
                Err(why) => Some(why),
            },
            Entry::Contingent(c) => {
                self.contingents.insert(c.id.clone(), c);
                None
            }
            Entry::Other => None,
        };
        if problem.is_none() {
            self.blobs.insert(path.to_string(), blob);
        }
        problem
    }

    fn unset(&mut self, path: &str) {
        self.blobs.remove(path);
        match entry_of(path) {
            Some((Kind::Member, id)) => {
                if let Some(m) = self.members.remove(id) {
                    self.emails.remove(&m.email.to_lowercase());
                    self.keys.remove(&m);
                }
            }
            Some((Kind::Contingent, id)) => {
                self.contingents.remove(id);
            }
            None => {}
        }
    }

    /// Whether a member entry, valid on its own (see [`read_entry`]), fits the rest of the
    /// state: its contingent is there, and its email and keys are nobody else's.
    fn member_fits(&self, m: &Member, keys: &[KeyData]) -> std::result::Result<(), String> {
        if !self.contingents.contains_key(&m.contingent) {
            return Err(format!("the contingent {:?} is not in the authorised roster", m.contingent));
        }
        if let Some(other) = self.emails.get(&m.email.to_lowercase()).filter(|o| **o != m.id) {
            return Err(format!("the email {} already belongs to {other}", m.email));
        }
        for k in keys {
            if let Some(other) = self.keys.others_with_data(k, &m.id).next() {
                return Err(format!("a key of the entry already belongs to {other}"));
            }
        }
        Ok(())
    }

    /// The state at a root (a commit without parents, or a founding): every governed file
    /// of its tree, contingents first (members refer to them).
    pub fn of_tree(
        repo: &Repo,
        tree: Oid,
        founded: bool,
        root: Option<Oid>,
    ) -> Result<(Authority, Vec<(String, String)>)> {
        Authority::of_tree_with(repo, tree, founded, root, &BTreeMap::new())
    }

    /// [`Authority::of_tree`] with the authorised values the audit recorded where they
    /// differ from the tree: they replace the tree's before anything is checked, so the
    /// state does not depend on the order in which the entries are read.
    pub fn of_tree_with(
        repo: &Repo,
        tree: Oid,
        founded: bool,
        root: Option<Oid>,
        overrides: &BTreeMap<String, Option<String>>,
    ) -> Result<(Authority, Vec<(String, String)>)> {
        let mut a = Authority { founded, root, ..Authority::default() };
        let mut invalid = Vec::new();
        let mut files: Vec<(String, Oid)> = Vec::new();
        for dir in [layout::CONTINGENTS, layout::MEMBERS] {
            for e in repo.list_dir(tree, dir)? {
                let path = format!("{dir}/{}", e.name);
                if !e.is_tree && !overrides.contains_key(&path) {
                    files.push((path, e.id));
                }
            }
        }
        let parse = |b: &Option<String>| b.as_deref().and_then(|b| b.parse::<Oid>().ok());
        for (path, blob) in overrides {
            a.overrides.insert(path.clone(), parse(blob));
            if let (Some(b), false) = (parse(blob), path == layout::CONFIG) {
                files.push((path.clone(), b));
            }
        }
        // Contingents first: members refer to them.
        files.sort_by_key(|(p, _)| (!p.starts_with(layout::CONTINGENTS), p.clone()));
        let config = match overrides.get(layout::CONFIG) {
            Some(b) => parse(b),
            None => repo.entry_at(tree, layout::CONFIG)?.map(|e| e.id),
        };
        if let Some(c) = config {
            a.blobs.insert(layout::CONFIG.to_string(), c);
        }
        a.read_config(repo)?;
        // Read on every core (a roster of ten thousand members is ten thousand blobs),
        // taken in order.
        files.retain(|(path, _)| governed(path));
        // Each entry is parsed and checked on its own there too; what needs the others
        // (a contingent that exists, an email or key nobody else has) is checked in order.
        let entries =
            repo.par_map(&files, 2_000, |repo, (path, blob)| Ok(read_entry(path, repo.read_blob(*blob)?, founded)))?;
        for ((path, blob), entry) in files.into_iter().zip(entries) {
            a.unset(&path);
            if let Some(why) = a.take(&path, blob, entry) {
                a.invalid.insert(path.clone(), why.clone());
                a.overrides.entry(path.clone()).or_insert(None);
                invalid.push((path, why));
            }
        }
        // Where the audit kept an earlier value, say why the tree's is not taken when it is
        // an entry tribune would refuse (else it was a change without authority).
        for path in overrides.keys() {
            if let Some(e) = repo.entry_at(tree, path)?.filter(|e| !e.is_tree) {
                if let Some(why) = a.why_invalid(repo, path, e.id)? {
                    a.invalid.insert(path.clone(), why);
                }
            }
        }
        Ok((a, invalid))
    }

    /// Why the entry `blob` at `path` would not be taken, if it would not (nothing changes).
    fn why_invalid(&self, repo: &Repo, path: &str, blob: Oid) -> Result<Option<String>> {
        Ok(match read_entry(path, repo.read_blob(blob)?, self.founded) {
            Entry::Invalid(why) => Some(why),
            Entry::Member(m, keys) => self.member_fits(&m, &keys).err(),
            Entry::Contingent(_) | Entry::Other => None,
        })
    }

    /// Who may change `path` from its authorised value to `new` (None: remove it), given the
    /// entry as it would be. Refused changes name the rule.
    pub fn rule_for(&self, repo: &Repo, path: &str, new: Option<Oid>) -> Result<Rule> {
        Ok(match entry_of(path) {
            Some((Kind::Member, id)) => {
                let after = match new {
                    Some(b) => Member::parse(id, path, &String::from_utf8_lossy(&repo.read_blob(b)?)).ok(),
                    None => None,
                };
                self.member_rule(id, after.as_ref())
            }
            _ => Rule::ApprovedStatement,
        })
    }

    /// Reads the admission rule from the authorised tribune.toml (one that does not parse
    /// keeps the default: members admit members).
    fn read_config(&mut self, repo: &Repo) -> Result<()> {
        self.members_by_statement = match self.blobs.get(layout::CONFIG) {
            Some(b) => crate::model::config::Config::parse(&String::from_utf8_lossy(&repo.read_blob(*b)?))
                .ok()
                .and_then(|c| c.rules().ok())
                .is_some_and(|r| r.members == crate::model::config::Admission::Statement),
            None => false,
        };
        Ok(())
    }

    /// Who may change member `id`'s entry to `after` (None: remove it).
    pub fn member_rule(&self, id: &str, after: Option<&Member>) -> Rule {
        let before = self.members.get(id);
        // Keys stay the member's own whatever the rules; admitting and removing may be the
        // organisation's business.
        let keys_only =
            matches!((before, after), (Some(b), Some(a)) if b.keys != a.keys && b.contingent == a.contingent);
        if self.members_by_statement && !keys_only {
            return Rule::ApprovedStatement;
        }
        match (before, after) {
            // Moving a member between contingents is the organisation's business.
            (Some(b), Some(a)) if b.contingent != a.contingent => Rule::ApprovedStatement,
            // Keys are the member's own: only they change them (a peer may remove
            // the member and admit them again, which the roster's history shows).
            (Some(b), Some(a)) if b.keys != a.keys => Rule::MemberThemself { member: id.to_string() },
            (Some(b), _) => Rule::MemberOfContingent { contingent: b.contingent.clone() },
            (None, Some(a)) => Rule::MemberOfContingent { contingent: a.contingent.clone() },
            (None, None) => Rule::MemberOfContingent { contingent: String::new() },
        }
    }

    /// The authorised member who holds this public key (an OpenSSH line).
    pub fn member_with_key(&self, public: &str) -> Option<String> {
        let key = ssh_key::PublicKey::from_openssh(public).ok()?;
        self.members.values().find(|m| m.keys.iter().any(|k| same_key(k, &key))).map(|m| m.id.clone())
    }

    /// Refuses, before anything is written, a change to member `id`'s entry that the
    /// signer (by their public key) may not make; says who may.
    pub fn check_member_change(&self, id: &str, after: Option<&Member>, signer: Option<&str>) -> Result<()> {
        // Removing an entry the authorised roster does not hold (an invalid one) changes
        // nothing the chain judges.
        if !self.founded || (after.is_none() && !self.members.contains_key(id)) {
            return Ok(());
        }
        let rule = self.member_rule(id, after);
        let who = signer.and_then(|k| self.member_with_key(k));
        if self.allows(&rule, who.as_deref()) {
            return Ok(());
        }
        let acting = match (&who, signer) {
            (Some(m), _) => format!("{m} may not"),
            (None, Some(_)) => "the signing key belongs to no member of the roster, so it may not".to_string(),
            (None, None) => "an unsigned commit may not".to_string(),
        };
        let what = match after {
            None => format!("remove the member {id}"),
            Some(_) if self.members.contains_key(id) => format!("change the member {id}"),
            Some(a) => format!("admit {id} to {}", a.contingent),
        };
        Err(crate::error::fail(
            format!("{acting} {what}: {}", crate::governance::authority::describe(&rule)),
            self.hint(&rule),
        ))
    }

    /// Who could make a change under `rule`, for a refusal's hint.
    fn hint(&self, rule: &Rule) -> String {
        match rule {
            Rule::MemberOfContingent { contingent } => {
                let who: Vec<&str> =
                    self.members.values().filter(|m| &m.contingent == contingent).map(|m| m.id.as_str()).collect();
                if who.is_empty() {
                    format!("{contingent} has no member in the authorised roster to sign it")
                } else {
                    format!("sign with the key of a member of {contingent} (--key FILE): {}", who.join(", "))
                }
            }
            Rule::MemberThemself { member } => format!("{member} signs it with a key they hold now (--key FILE)"),
            Rule::ApprovedStatement => {
                "the organisation decides it by a joint statement (`tribune propose`), which is not yet wired to roster \
                 changes"
                    .into()
            }
            Rule::SignedByAFounder => "the founding commit is signed by a founder it names".into(),
        }
    }

    /// Whether `signer` (a member of this authorised state) satisfies `rule`.
    pub fn allows(&self, rule: &Rule, signer: Option<&str>) -> bool {
        let Some(signer) = signer else { return false };
        match rule {
            Rule::MemberOfContingent { contingent } => {
                self.members.get(signer).is_some_and(|m| &m.contingent == contingent)
            }
            Rule::MemberThemself { member } => signer == member,
            Rule::ApprovedStatement | Rule::SignedByAFounder => false,
        }
    }

    /// The founding a commit declares, if it is one signed by a founder it lists: the
    /// state at it (every governed file of its tree), and the entries left out as invalid.
    pub fn founding(repo: &Repo, c: &CommitInfo) -> Result<Option<(Authority, Vec<Finding>)>> {
        let Some(founders) = c.trailer(FOUNDERS) else { return Ok(None) };
        let (a, invalid) = Authority::of_tree(repo, c.tree, true, Some(c.id))?;
        let signer = a.signer_of(repo, c.id)?;
        if !signer.is_some_and(|s| founders.split_whitespace().any(|f| f == s)) {
            return Ok(None);
        }
        let commit = c.id.to_string();
        let findings =
            invalid.into_iter().map(|(path, reason)| Finding::InvalidEntry { commit: commit.clone(), path, reason });
        Ok(Some((a, findings.collect())))
    }
}

fn same_key(line: &str, key: &ssh_key::PublicKey) -> bool {
    ssh_key::PublicKey::from_openssh(line).is_ok_and(|k| k.key_data() == key.key_data())
}

/// The commit on another parent's side of a merge (since the histories parted) that set
/// `path` to `new` (None: deleted it), the newest such, when that parent has `new` there:
/// what a merge's value is judged by. None when no other parent changed it to `new` (the
/// value is then the merge's own change). The other side is every commit that `other`
/// holds and `base` does not, however many merge bases they have. On a history that
/// shares nothing with `base` (an orphan), the walk reaches its root, which set every
/// value it holds.
pub fn setter_on_other_side(
    repo: &Repo,
    base: Oid,
    others: &[Oid],
    path: &str,
    new: Option<Oid>,
) -> Result<Option<CommitInfo>> {
    let at = |commit: Oid| -> Result<Option<Oid>> {
        Ok(repo.entry_at(repo.commit_tree(commit)?, path)?.filter(|e| !e.is_tree).map(|e| e.id))
    };
    for other in others {
        if at(*other)? != new {
            continue;
        }
        // The other side is what `other` holds and `base` does not: hiding the whole history
        // of `base`, not one merge base, which in a criss-cross history (two merge bases)
        // would leave the trunk's own commits on the other side, so that an old value set
        // by an authorised commit there could be taken back over a later change.
        for id in repo.walk(*other, &[base])? {
            let info = repo.commit(id?)?;
            if at(info.id)? != new {
                continue;
            }
            // The commit that set it: none of its parents had it. A merge that took it from
            // one of its parents (an edition's update bringing in the trunk of its day) did
            // not set it: the walk goes on into that parent's history, and where that is the
            // trunk's own, nobody on this side set it.
            let mut set_here = true;
            for p in &info.parents {
                if at(*p)? == new {
                    set_here = false;
                    break;
                }
            }
            if set_here {
                // A contingent's act on its edition (a rewrite, or a merge into the edition)
                // set a value there, not on the trunk: a trunk merge that takes it from the
                // edition makes the change itself.
                let edition_act = matches!(
                    info.trailer("Tribune-Action").map(str::trim),
                    Some("rewrite" | "update-edition" | "merge-edition")
                );
                return Ok((!edition_act).then_some(info));
            }
        }
    }
    Ok(None)
}

/// The governed paths that differ between two trees (reading only `roster/` and the
/// config entry: nothing when they are the same objects).
pub fn governed_changes(repo: &Repo, old: Option<Oid>, new: Oid) -> Result<Vec<String>> {
    let mut changes: Vec<String> =
        repo.changed_paths(old, new, "roster")?.into_iter().map(|ch| ch.path).filter(|p| governed(p)).collect();
    let config = |tree: Option<Oid>| -> Result<Option<Oid>> {
        Ok(match tree {
            Some(t) => repo.entry_at(t, layout::CONFIG)?.map(|e| e.id),
            None => None,
        })
    };
    if config(old)? != config(Some(new))? {
        changes.push(layout::CONFIG.to_string());
    }
    Ok(changes)
}

#[cfg(test)]
mod tests;
