//! What moved, counted by kind: trunk commits and articles, rewrites, ratings, ballots,
//! statements.

use super::*;

/// What moved, in one direction.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Moved {
    /// Trunk commits.
    pub commits: usize,
    /// Article texts added or changed on the trunk.
    pub articles: usize,
    /// Rewrite commits, by contingent.
    pub rewrites: BTreeMap<String, usize>,
    /// Rating records (note lines), by rater.
    pub ratings: BTreeMap<String, usize>,
    pub ballots: usize,
    pub statements: usize,
    /// Commits on channels (picks, editions, channels made or closed).
    #[serde(skip_serializing_if = "is_zero")]
    pub channel_changes: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Moved {
    pub(super) fn add(&mut self, other: Moved) {
        self.commits += other.commits;
        self.articles += other.articles;
        for (k, n) in other.rewrites {
            *self.rewrites.entry(k).or_default() += n;
        }
        for (k, n) in other.ratings {
            *self.ratings.entry(k).or_default() += n;
        }
        self.ballots += other.ballots;
        self.statements += other.statements;
        self.channel_changes += other.channel_changes;
    }

    pub fn is_empty(&self) -> bool {
        self.commits == 0
            && self.articles == 0
            && self.rewrites.is_empty()
            && self.ratings.is_empty()
            && self.ballots == 0
            && self.statements == 0
            && self.channel_changes == 0
    }

    /// "3 articles, 1 rewrite by xyz, 120 ratings by 4 raters, 2 ballots".
    pub fn describe(&self) -> String {
        let n = |k: usize, one: &str, many: &str| crate::model::words::count(k as u64, one, many);
        let mut parts = Vec::new();
        if self.articles > 0 {
            parts.push(n(self.articles, "article", "articles"));
        } else if self.commits > 0 {
            parts.push(n(self.commits, "trunk commit", "trunk commits"));
        }
        if !self.rewrites.is_empty() {
            let total: usize = self.rewrites.values().sum();
            let by: Vec<&str> = self.rewrites.keys().map(String::as_str).collect();
            parts.push(format!("{} by {}", n(total, "rewrite", "rewrites"), by.join(", ")));
        }
        if !self.ratings.is_empty() {
            let total: usize = self.ratings.values().sum();
            parts.push(format!("{} by {}", n(total, "rating", "ratings"), n(self.ratings.len(), "rater", "raters")));
        }
        if self.ballots > 0 {
            parts.push(n(self.ballots, "ballot", "ballots"));
        }
        if self.statements > 0 {
            parts.push(n(self.statements, "approved statement", "approved statements"));
        }
        if self.channel_changes > 0 {
            parts.push(n(self.channel_changes, "channel change", "channel changes"));
        }
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Counts what a fast-forward from `ours` to `theirs` brings.
pub(super) fn count_arrival(repo: &Repo, pair: &Pair, ours: Option<Oid>, theirs: Oid, moved: &mut Moved) -> Result<()> {
    count(repo, pair.kind, &pair.local, ours, theirs, moved)
}

/// Counts what lies between `from` (None: nothing) and `to` on a ref of `kind`.
pub(super) fn count(repo: &Repo, kind: Kind, name: &str, from: Option<Oid>, to: Oid, moved: &mut Moved) -> Result<()> {
    let hide: Vec<Oid> = from.into_iter().collect();
    match kind {
        Kind::Trunk => {
            moved.commits += repo.walk(to, &hide)?.count();
            let old = match from {
                Some(f) => Some(repo.commit_tree(f)?),
                None => None,
            };
            moved.articles += repo
                .changed_paths(old, repo.commit_tree(to)?, layout::ARTICLES)?
                .iter()
                .filter(|c| c.new.is_some() && c.path.ends_with("/index.md"))
                .count();
        }
        Kind::Edition => {
            let contingent = name.rsplit('/').next().unwrap_or("").to_string();
            let mut n = 0;
            for id in repo.walk(to, &hide)? {
                if repo.commit(id?)?.trailer("Tribune-Action") == Some("rewrite") {
                    n += 1;
                }
            }
            if n > 0 {
                *moved.rewrites.entry(contingent).or_default() += n;
            }
        }
        Kind::Notes => {
            let rater = name.rsplit('/').next().unwrap_or("").to_string();
            let old = from.map(|f| repo.commit_tree(f)).transpose()?;
            let mut n = 0;
            for (_, before, blob) in repo.changed_notes(old, repo.commit_tree(to)?)? {
                let before = match before {
                    Some(b) => lines(&repo.read_blob(b)?),
                    None => Default::default(),
                };
                n += lines(&repo.read_blob(blob)?).difference(&before).count();
            }
            if n > 0 {
                *moved.ratings.entry(rater).or_default() += n;
            }
        }
        Kind::Ballots => {
            if name.starts_with(crate::statements::BALLOT_REFS) {
                // Ballots, not the merges of a member's ballots from two clones.
                for id in repo.walk(to, &hide)? {
                    if repo.commit(id?)?.trailer("Tribune-Statement").is_some() {
                        moved.ballots += 1;
                    }
                }
            }
        }
        Kind::Tag => moved.statements += 1,
        Kind::Channel => moved.channel_changes += repo.walk(to, &hide)?.count(),
    }
    Ok(())
}

/// The distinct non-empty lines of a note.
pub(super) fn lines(data: &[u8]) -> std::collections::HashSet<Vec<u8>> {
    data.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect()
}

/// Counts what pushing `r` sends.
pub(super) fn count_push(repo: &Repo, r: &PushRef, left: &mut Moved) -> Result<()> {
    let id: Oid = r.id.parse()?;
    let kind = if r.local.starts_with("refs/heads/contingents/") {
        Kind::Edition
    } else if r.local.starts_with("refs/heads/") {
        Kind::Trunk
    } else if r.local.starts_with("refs/notes/") {
        Kind::Notes
    } else if r.local.starts_with("refs/tags/") {
        Kind::Tag
    } else if r.local.starts_with(crate::channels::CHANNEL_REFS)
        || r.local.starts_with(crate::channels::MEMBER_CHANNEL_REFS)
    {
        Kind::Channel
    } else {
        Kind::Ballots
    };
    let theirs = match &r.expect {
        Some(t) => Some(t.parse::<Oid>()?),
        None => None,
    };
    // A broken copy there (not a commit) that this push replaces: everything is new.
    let theirs = theirs.filter(|t| repo.commit_if_commit(*t).ok().flatten().is_some());
    count(repo, kind, &r.local, theirs, id, left)
}
