//! A bare hub and clones of it, shared by the sync tests.

use crate::harness::{add_keyed_member, keypair, Env};

/// The statement `Net::new` proposes.
pub const SLUG: &str = "for-the-rent-strike";
/// The article `Net::two_with_heat` starts with.
pub const HEAT: &str = "heat-at-the-depot";

pub fn article(title: &str, contingent: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nauthors = [\"W. Writer\"]\ncontingent = \"{contingent}\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\n{body}\n"
    )
}

/// A bare hub (`tribune init`) with contingents abc and xyz, and clones of it.
pub struct Net {
    pub env: Env,
    pub hub: String,
    /// Private keys of m1, m2, m3 (`Net::new` only).
    pub keys: Vec<String>,
}

impl Net {
    /// The hub with its two contingents only.
    pub fn bare() -> Net {
        let env = Env::new();
        let hub = env.path("hub").to_string_lossy().into_owned();
        env.tribune(&["init", &hub, "--org", "Mass Organization XYZ"]).ok();
        env.tribune(&["-C", &hub, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
        env.tribune(&["-C", &hub, "roster", "add-contingent", "xyz", "--name", "XYZ Circle"]).ok();
        Net { env, hub, keys: Vec::new() }
    }
    /// The hub with three members who have keys (m1, m2, m3) and a proposed statement.
    pub fn new() -> Net {
        let mut n = Net::bare();
        for (i, c) in [(1, "abc"), (2, "xyz"), (3, "abc")] {
            let id = format!("m{i}");
            let (key, public) = keypair(&n.env, &id);
            add_keyed_member(&n.env, &n.hub, &id, c, &public).ok();
            n.keys.push(key);
        }
        let s = n.env.write("statement.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
        n.env.tribune(&["-C", &n.hub, "propose", &s, "--deadline", "2026-12-01T00:00:00Z"]).ok();
        n
    }
    pub fn clone(&self, name: &str) -> String {
        let dir = self.env.path(name).to_string_lossy().into_owned();
        self.env.tribune(&["clone", &self.hub, &dir]).ok();
        dir
    }
    pub fn t(&self, clone: &str, args: &[&str]) -> crate::harness::Run {
        let mut a = vec!["-C", clone];
        a.extend_from_slice(args);
        self.env.tribune(&a)
    }
    pub fn git(&self, clone: &str, args: &[&str]) -> crate::harness::Run {
        let mut a = vec!["-C", clone];
        a.extend_from_slice(args);
        self.env.git(&a)
    }
    pub fn contribute(&self, clone: &str, title: &str, contingent: &str, body: &str) {
        let f = self.env.write(&format!("in/{title}.md"), article(title, contingent, body));
        self.t(clone, &["contribute", &f]).ok();
    }
    pub fn update(&self, clone: &str, title: &str, contingent: &str, body: &str) {
        let f = self.env.write(&format!("in/{title}-update.md"), article(title, contingent, body));
        self.t(clone, &["contribute", &f, "--update"]).ok();
    }
    /// Two clones that both have the article "Heat at the depot".
    pub fn two_with_heat() -> (Net, String, String) {
        let n = Net::bare();
        let (a, b) = (n.clone("a"), n.clone("b"));
        n.contribute(&a, "Heat at the depot", "abc", "The original report.");
        n.t(&a, &["sync"]).ok();
        n.t(&b, &["sync"]).ok();
        (n, a, b)
    }
    pub fn kept_branches(&self, clone: &str) -> String {
        self.git(clone, &["branch", "--list", "sync-conflicts/*"]).ok().stdout
    }
    pub fn key(&self, m: usize) -> &str {
        &self.keys[m - 1]
    }
    /// tribune's own refs (not the mirrors of a remote, not kept conflict branches).
    pub fn refs(&self, clone: &str) -> String {
        let all = self.env.git(&["-C", clone, "for-each-ref", "--format=%(refname) %(objectname)"]).ok().stdout;
        all.lines()
            .filter(|l| {
                !l.starts_with("refs/remotes/")
                    && !l.starts_with("refs/tribune-sync/")
                    && !l.starts_with("refs/heads/sync-conflicts/")
            })
            .map(|l| format!("{l}\n"))
            .collect()
    }
}
