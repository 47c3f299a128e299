//! A commons with an electorate and a proposed statement, and ways to forge ballots and tags
//! with plain git: shared by the statement tests.

use crate::harness::{add_keyed_member, edit_with_git, keypair, rev, Env};

pub const DEADLINE: &str = "2026-12-01T00:00:00Z";
/// After the deadline (the tests' clock starts at 2026-11-21T10:00:00Z and moves a minute a
/// command).
pub const LATE: &str = "2026-12-02T00:00:00Z";
pub const SLUG: &str = "for-the-rent-strike";

pub struct Vote {
    pub env: Env,
    pub c: String,
    pub keys: Vec<(String, String, String)>,
    pub proposal: String,
    pub text: String,
}

impl Vote {
    pub fn key(&self, m: &str) -> &str {
        &self.keys.iter().find(|(id, _, _)| id == m).unwrap().1
    }
    pub fn public(&self, m: &str) -> &str {
        &self.keys.iter().find(|(id, _, _)| id == m).unwrap().2
    }
    pub fn vote(&self, m: &str, choice: &str) -> crate::harness::Run {
        self.env.tribune(&["-C", &self.c, "vote", SLUG, choice, "--as", m, "--key", self.key(m)])
    }
    /// Each `(member, choice)` in turn is voted, and must be taken.
    pub fn cast(&self, ballots: &[(&str, &str)]) {
        for (m, choice) in ballots {
            self.vote(m, choice).ok();
        }
    }
    /// `approve SLUG --as M` with m's key.
    pub fn approve(&self, m: &str) -> crate::harness::Run {
        self.env.tribune(&["-C", &self.c, "approve", SLUG, "--as", m, "--key", self.key(m)])
    }
    pub fn tip(&self, m: &str) -> String {
        rev(&self.env, &self.c, &format!("refs/tribune/ballots/{SLUG}/{m}"))
    }
    pub fn tally(&self) -> serde_json::Value {
        let r = self.env.tribune(&["-C", &self.c, "tally", SLUG, "--json"]).ok();
        serde_json::from_str(&r.stdout).unwrap()
    }
    pub fn counts(&self) -> (u64, u64, u64) {
        let t = self.tally();
        let c = &t["counts"];
        (c["yes"].as_u64().unwrap(), c["no"].as_u64().unwrap(), c["abstain"].as_u64().unwrap())
    }
    /// The reason the tally gives for excluding `commit`.
    pub fn reason(&self, commit: &str) -> String {
        let t = self.tally();
        let b = t["ballots"].as_array().unwrap().iter().find(|b| b["commit"] == commit).unwrap_or_else(|| {
            panic!("ballot {commit} not in the tally: {t:#}");
        });
        assert_eq!(b["status"], "excluded", "{b}");
        b["reason"].as_str().unwrap().to_string()
    }
    pub fn allowed_signers(&self) -> String {
        let r = self.env.tribune(&["-C", &self.c, "allowed-signers"]).ok();
        self.env.write("signers", r.stdout)
    }
    pub fn git_ballot(&self, member: &str, message: &str, key: Option<&str>, parent: Option<&str>) -> String {
        let tree = self.env.git(&["-C", &self.c, "mktree"]).ok().stdout.trim().to_string();
        let mut args: Vec<String> = vec!["-C".into(), self.c.clone()];
        if let Some(k) = key {
            args.extend(["-c".into(), "gpg.format=ssh".into(), "-c".into(), format!("user.signingkey={k}")]);
        }
        args.extend(["commit-tree".into(), tree, "-m".into(), message.into()]);
        if key.is_some() {
            args.push("-S".into());
        }
        if let Some(p) = parent {
            args.extend(["-p".into(), p.into()]);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let id = self.env.git(&a).ok().stdout.trim().to_string();
        self.env.git(&["-C", &self.c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/{member}"), &id]).ok();
        id
    }
    pub fn message(&self, member: &str, choice: &str, seq: impl std::fmt::Display) -> String {
        format!(
            "{choice}\n\nTribune-Statement: {SLUG}\nTribune-Proposal: {}\nTribune-Text: {}\nTribune-Member: {member}\nTribune-Seq: {seq}\n",
            self.proposal, self.text
        )
    }
    /// A tally commit made with plain git: the proposal's tree, the proposal then `ballots` as parents.
    pub fn tally_commit(&self, ballots: &[&str]) -> String {
        let tree = rev(&self.env, &self.c, &format!("{}^{{tree}}", self.proposal));
        let mut args = vec!["-C", &self.c, "commit-tree", &tree, "-p", &self.proposal];
        for b in ballots {
            args.extend(["-p", b]);
        }
        args.extend(["-m", "tally"]);
        self.env.git(&args).ok().stdout.trim().to_string()
    }
    /// The trailers an approval tag carries, as tribune writes them (electorate 3, 2/3 of cast, quorum 1/2).
    pub fn trailers(&self, electorate: u32, yna: (u32, u32, u32), by: &str, ballots: &[(&str, &str, &str)]) -> String {
        let mut m = format!(
            "Tribune-Statement: {SLUG}\nTribune-Proposal: {}\nTribune-Text: {}\nTribune-Threshold: 2/3\nTribune-Basis: cast\n\
             Tribune-Quorum: 1/2\nTribune-Electorate: {electorate}\nTribune-Yes: {}\nTribune-No: {}\nTribune-Abstain: {}\n\
             Tribune-Approved-By: {by}\n",
            self.proposal, self.text, yna.0, yna.1, yna.2
        );
        for (member, commit, choice) in ballots {
            m.push_str(&format!("Tribune-Ballot: {member} {commit} {choice}\n"));
        }
        m
    }
    /// Puts a tag made by plain `git tag -s` (signed with `key`) on `target`.
    pub fn git_tag(&self, target: &str, message: &str, key: &str) {
        let file = self.env.write("tag-message", message);
        self.env
            .git(&[
                "-C",
                &self.c,
                "-c",
                "gpg.format=ssh",
                "-c",
                &format!("user.signingkey={key}"),
                "tag",
                "-f",
                "-s",
                "-F",
                &file,
                &format!("statements/{SLUG}"),
                target,
            ])
            .ok();
    }
    pub fn verify(&self) -> crate::harness::Run {
        self.env.tribune(&["-C", &self.c, "verify", SLUG])
    }
}

/// Contingents abc and xyz, and `n` members m1…mn with keys, odd ones in abc: (id, private
/// key file, public key) of each.
pub fn roster(env: &Env, c: &str, n: usize) -> Vec<(String, String, String)> {
    env.tribune(&["-C", c, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
    env.tribune(&["-C", c, "roster", "add-contingent", "xyz", "--name", "XYZ Circle"]).ok();
    (1..=n)
        .map(|i| {
            let id = format!("m{i}");
            let (key, public) = keypair(env, &id);
            add_keyed_member(env, c, &id, if i % 2 == 1 { "abc" } else { "xyz" }, &public).ok();
            (id, key, public)
        })
        .collect()
}

/// `n` members m1…mn with keys, and a statement at 2/3 of votes cast, quorum 1/2.
pub fn setup(n: usize) -> Vote {
    let env = Env::new();
    let c = env.init();
    let keys = roster(&env, &c, n);
    let file = env.write("statement.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
    let r = env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE, "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let proposal = j["commit"].as_str().unwrap().to_string();
    let text = j["text"].as_str().unwrap().to_string();
    Vote { env, c, keys, proposal, text }
}

/// `setup(n)`, every member votes yes, and m1 approves.
pub fn approved(n: usize) -> Vote {
    let v = setup(n);
    for (m, _, _) in &v.keys {
        v.vote(m, "yes").ok();
    }
    v.approve("m1").ok();
    v
}

impl Vote {
    /// A plain git clone of the commons, at `w`, to push changes made with git.
    pub fn git_clone(&self) -> String {
        self.env.clone_of(&self.c, "w")
    }
}

/// Changes the statement's text on the trunk through a plain git clone and push.
pub fn amend_with_git(env: &Env, c: &str, body: &str) {
    edit_with_git(env, c, &format!("statements/{SLUG}/index.md"), "tamper with the statement", |text| {
        let (front, _) = text.rsplit_once("+++\n").unwrap();
        format!("{front}+++\n{body}")
    });
}
