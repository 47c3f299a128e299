//! The electorate of a proposal: the roster at the proposal commit.

use super::*;

/// The members of the roster in a tree, read and parsed on every core.
pub fn members_at(repo: &Repo, tree: Oid) -> Result<Vec<Member>> {
    let entries: Vec<(String, Oid)> = repo
        .list_dir(tree, layout::MEMBERS)?
        .into_iter()
        .filter(|e| !e.is_tree && e.name.ends_with(".toml"))
        .map(|e| (e.name, e.id))
        .collect();
    let parsed = repo.par_map(&entries, 500, |repo, (name, id)| {
        let text = String::from_utf8_lossy(&repo.read_blob(*id)?).into_owned();
        Ok(Member::parse(name.trim_end_matches(".toml"), &format!("{}/{name}", layout::MEMBERS), &text)?)
    })?;
    Ok(parsed)
}

/// One member as the roster in `tree` has them.
pub fn member_at(repo: &Repo, tree: Oid, id: &str) -> Result<Option<Member>> {
    let path = layout::member(id);
    match repo.blob_at(tree, &path)? {
        Some((_, data)) => Ok(Some(Member::parse(id, &path, &String::from_utf8_lossy(&data))?)),
        None => Ok(None),
    }
}

/// Why `member` is not in a proposal's electorate (read without loading the whole roster).
pub fn outsider(commons: &Commons, member: &str) -> Result<String> {
    Ok(outsider_message(member, commons.snapshot()?.member(member)?.is_some()))
}

fn outsider_message(member: &str, joined_later: bool) -> String {
    if joined_later {
        format!("{member} joined the roster after the proposal, so is not in its electorate")
    } else {
        format!("{member} was not in the roster when the statement was proposed")
    }
}

/// A roster entry at the proposal that the electorate does not take as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOutMember {
    pub member: String,
    pub why: Exclusion,
}

/// Why an entry is not in the electorate as the tree has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Exclusion {
    /// An entry tribune would refuse: left out.
    Invalid { reason: String },
    /// Added by a commit the roster did not authorise: left out.
    AddedWithoutAuthority,
    /// Changed (or removed) by a commit the roster did not authorise: the authorised entry counts.
    ChangedWithoutAuthority,
}

/// The members entitled to vote on a proposal: the authorised roster at the proposal
/// commit (see `governance`): entries that are invalid, or that an unauthorised commit
/// added or changed, are left out (`left_out` says why).
pub struct Electorate {
    pub members: BTreeMap<String, Member>,
    pub keys: KeyRing,
    /// Roster entries in the proposal's tree that are not in the electorate (or not as the
    /// tree has them), with why.
    pub left_out: Vec<LeftOutMember>,
    /// The roster now, when it differs: to say that someone joined after the proposal.
    later: Option<(BTreeMap<String, Member>, KeyRing)>,
}

impl Electorate {
    pub fn load(commons: &Commons, proposal: &Proposal) -> Result<Electorate> {
        let repo = &commons.repo;
        let at = repo.commit_tree(proposal.commit)?;
        let authority = crate::governance::audit::authority_at(commons, proposal.commit)?;
        let mut left_out = Vec::new();
        for path in authority.overrides.keys() {
            let Some(id) = path.strip_prefix(&format!("{}/", layout::MEMBERS)).and_then(|f| f.strip_suffix(".toml"))
            else {
                continue;
            };
            let why = match authority.invalid.get(path) {
                Some(reason) => Exclusion::Invalid { reason: reason.clone() },
                None if authority.members.contains_key(id) => Exclusion::ChangedWithoutAuthority,
                None => Exclusion::AddedWithoutAuthority,
            };
            left_out.push(LeftOutMember { member: id.to_string(), why });
        }
        let (members, keys) = (authority.members, authority.keys);
        let now = repo.commit_tree(commons.trunk_tip()?)?;
        let roster_at = |t: Oid| repo.entry_at(t, layout::MEMBERS).map(|e| e.map(|e| e.id));
        // The roster now only words messages ("joined after the proposal"): a broken file
        // added later must not stop a count that does not depend on it.
        let later = if roster_at(at)? == roster_at(now)? {
            None
        } else {
            match members_at(repo, now) {
                Ok(members) => {
                    let m: BTreeMap<String, Member> = members.into_iter().map(|m| (m.id.clone(), m)).collect();
                    let k = KeyRing::new(m.values());
                    Some((m, k))
                }
                Err(_) => Some((BTreeMap::new(), KeyRing::default())),
            }
        };
        Ok(Electorate { members, keys, left_out, later })
    }

    pub fn size(&self) -> u64 {
        self.members.len() as u64
    }

    /// Why `member` is not in the electorate.
    pub fn outsider(&self, member: &str) -> String {
        outsider_message(member, self.later.as_ref().is_some_and(|(m, _)| m.contains_key(member)))
    }

    /// Who owns a key that is not in the electorate, if anyone does now.
    pub(super) fn later_owner(&self, signature: &[u8]) -> Option<String> {
        self.later.as_ref().and_then(|(_, k)| k.owner_of(signature).map(str::to_string))
    }
}

/// `member`'s keys in the proposal's electorate, read from that member's roster entry alone
/// (never the whole roster); an error when the member is not in the electorate.
pub fn electorate_keys(commons: &Commons, proposal: &Proposal, member: &str, verb: &str) -> Result<Vec<String>> {
    let path = layout::member(member);
    let entry = match crate::governance::audit::authorised_blob(commons, proposal.commit, &path)? {
        Some(blob) => Member::parse(member, &path, &String::from_utf8_lossy(&commons.repo.read_blob(blob)?)).ok(),
        None => None,
    };
    match entry {
        Some(m) => Ok(m.keys),
        None => Err(fail(
            format!("{member} cannot {verb} {}: {}", proposal.slug, outsider(commons, member)?),
            "the electorate is the roster at the proposal commit; `tribune tally` lists it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outsider_is_told_whether_they_joined_later() {
        assert!(outsider_message("m9", true).contains("joined the roster after the proposal"));
        assert!(outsider_message("m9", false).contains("was not in the roster when"));
    }
}
