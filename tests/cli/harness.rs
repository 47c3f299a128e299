//! The test environment: a temporary home, a test clock, no user or system git config.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// The instant the test clock starts at: 2026-11-21T10:00:00Z.
pub const START: &str = "2026-11-21T10:00:00Z";
/// How far the test clock moves on at each command: one minute.
pub const TICK_SECONDS: i64 = 60;

/// The binary under test: this build's, or another one named by `TRIBUNE_TEST_BIN` (to show
/// that a new test fails on an older release: `TRIBUNE_TEST_BIN=/path/to/old/tribune cargo
/// test --test cli NAME`).
pub fn binary() -> std::ffi::OsString {
    std::env::var_os("TRIBUNE_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_tribune").into())
}

/// A sandbox: a temporary directory with a fake HOME; commands run with a pinned,
/// isolated environment, each at its own time on the sandbox's clock.
pub struct Env {
    pub tmp: tempfile::TempDir,
    /// Extra environment for the next commands (e.g. a different author). A date set here
    /// wins over the clock's.
    pub vars: Vec<(String, String)>,
    clock: Clock,
}

/// The sandbox's clock: every command (tribune, git or any other run through the harness)
/// runs at the clock's time, given as GIT_AUTHOR_DATE and GIT_COMMITTER_DATE, and moves it
/// on by [`TICK_SECONDS`], so that the order of the commands is the order of their times.
/// It starts at [`START`]; [`Env::set_clock`] moves it, [`Env::freeze_clock`] stops it.
struct Clock {
    /// The time of the next command, in seconds since the epoch.
    next: AtomicI64,
    /// The time of the last command, in seconds since the epoch (none yet: `i64::MIN`).
    last: AtomicI64,
    frozen: AtomicBool,
}

impl Clock {
    fn new() -> Clock {
        Clock { next: AtomicI64::new(seconds(START)), last: AtomicI64::new(i64::MIN), frozen: AtomicBool::new(false) }
    }
    /// The time of a command starting now, after which the clock moves on (unless frozen).
    fn tick(&self) -> i64 {
        let step = if self.frozen.load(Ordering::SeqCst) { 0 } else { TICK_SECONDS };
        let now = self.next.fetch_add(step, Ordering::SeqCst);
        self.last.store(now, Ordering::SeqCst);
        now
    }
}

/// `time` (RFC 3339) in seconds since the epoch.
#[track_caller]
pub fn seconds(time: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(time).unwrap_or_else(|e| panic!("{time:?}: {e}")).timestamp()
}

/// `secs` since the epoch as RFC 3339 in UTC, e.g. `2026-11-21T10:00:00Z`.
pub fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The result of one command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
    /// Asserts failure with `code`, a message on stderr containing `needle`, and nothing on stdout.
    #[track_caller]
    pub fn fails(self, code: i32, needle: &str) -> Run {
        assert_eq!(self.code, code, "expected exit {code}\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }
    /// Asserts nothing was printed on stderr.
    #[track_caller]
    pub fn quiet(self) -> Run {
        assert!(self.stderr.is_empty(), "{}", self.stderr);
        self
    }
    /// What was printed on stdout, parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{}", self.stdout))
    }
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::Builder::new().prefix("tribune-test-").tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("home")).unwrap();
        Env { tmp, vars: Vec::new(), clock: Clock::new() }
    }

    /// The time the next command will run at (RFC 3339, UTC).
    pub fn now(&self) -> String {
        rfc3339(self.clock.next.load(Ordering::SeqCst))
    }

    /// The time the last command ran at.
    #[track_caller]
    pub fn last(&self) -> String {
        let last = self.clock.last.load(Ordering::SeqCst);
        assert_ne!(last, i64::MIN, "no command has run yet");
        rfc3339(last)
    }

    /// Sets the clock: the next command runs at `time` (RFC 3339), and the clock goes on
    /// ticking from there (and stops being frozen).
    pub fn set_clock(&self, time: &str) {
        self.clock.next.store(seconds(time), Ordering::SeqCst);
        self.clock.frozen.store(false, Ordering::SeqCst);
    }

    /// Stops the clock: every command from now on runs at [`Env::now`], the same instant,
    /// until [`Env::thaw_clock`] or [`Env::set_clock`] (for what must happen at one time,
    /// such as articles that arrive together).
    pub fn freeze_clock(&self) {
        self.clock.frozen.store(true, Ordering::SeqCst);
    }

    /// Starts the stopped clock again, a tick after the instant it stopped at.
    pub fn thaw_clock(&self) {
        if self.clock.frozen.swap(false, Ordering::SeqCst) {
            self.clock.next.fetch_add(TICK_SECONDS, Ordering::SeqCst);
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn pin(&self, cmd: &mut Command) {
        let now = rfc3339(self.clock.tick());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.org")
            .env("GIT_AUTHOR_DATE", &now)
            .env("GIT_COMMITTER_NAME", "Test Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.org")
            .env("GIT_COMMITTER_DATE", &now)
            // No pager on a pseudo-terminal unless a test asks for one (`less` would wait for
            // a key when the output is longer than the screen).
            .env("PAGER", "cat")
            .current_dir(self.tmp.path());
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
    }

    /// Gives a command the pinned environment (to spawn it, e.g. in parallel with others).
    pub fn pin_command(&self, cmd: &mut Command) {
        self.pin(cmd);
    }

    /// Runs any command in the pinned environment.
    pub fn run_command(&self, cmd: Command) -> Run {
        self.run(cmd)
    }

    fn run(&self, mut cmd: Command) -> Run {
        self.pin(&mut cmd);
        let Output { status, stdout, stderr } = cmd.output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs `tribune ARGS`.
    pub fn tribune(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(binary());
        cmd.args(args);
        self.run(cmd)
    }

    /// Starts `tribune ARGS` behind `gate`: the process runs once the gate opens (see
    /// [`Gate::open`], which also collects what it printed), so that many writers start at
    /// the same moment, not one spawn apart.
    pub fn spawn_behind(&self, gate: &Gate, args: &[&str]) -> Child {
        let mut cmd = Command::new("sh");
        // Opening a FIFO for reading blocks until someone opens it for writing.
        cmd.args(["-c", "exec 3<\"$0\" && exec 3<&- && exec \"$@\""])
            .arg(&gate.0)
            .arg(binary())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        self.pin(&mut cmd);
        cmd.spawn().unwrap()
    }

    /// Runs `tribune ARGS` with `input` on standard input.
    pub fn tribune_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut cmd = Command::new(binary());
        cmd.args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        self.pin(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        finish(child)
    }

    /// Runs plain `git ARGS`.
    pub fn git(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new("git");
        cmd.args(args);
        self.run(cmd)
    }

    /// Writes a file under the sandbox and returns its path as a string.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> String {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// A commons at `c` with an empty roster.
    pub fn init(&self) -> String {
        let c = self.path("c").to_string_lossy().into_owned();
        self.tribune(&["init", &c, "--org", "Mass Organization XYZ"]).ok();
        c
    }

    /// A commons at `c` with contingents abc and xyz and a member alice of abc.
    pub fn commons(&self) -> String {
        let c = self.init();
        self.tribune(&["-C", &c, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
        self.tribune(&["-C", &c, "roster", "add-contingent", "xyz", "--name", "XYZ Circle"]).ok();
        self.tribune(&add_member_args(&c, ["alice", "abc", "Alice", "alice@example.org"], &[])).ok();
        c
    }

    /// [`Env::commons`] with the article "Port blockade" by abc at `slug`.
    pub fn commons_with_article(&self, slug: &str) -> String {
        let c = self.commons();
        self.contribute(&c, slug, &article("Port blockade", "abc", "", "Dockers stopped.\n")).ok();
        c
    }

    /// Writes `text` to `SLUG.md` and runs `tribune -C C contribute SLUG.md --slug SLUG`.
    pub fn contribute(&self, c: &str, slug: &str, text: &str) -> Run {
        let f = self.write(&format!("{slug}.md"), text);
        self.tribune(&["-C", c, "contribute", &f, "--slug", slug])
    }

    /// An empty directory `name` in the sandbox, outside any commons; returns its path.
    pub fn empty_dir(&self, name: &str) -> String {
        std::fs::create_dir(self.path(name)).unwrap();
        self.path(name).to_string_lossy().into_owned()
    }

    /// Runs `tribune -C DIR ARGS` in `dir`, which is in no commons: it must fail with "not in a
    /// tribune commons" and print nothing on stdout.
    #[track_caller]
    pub fn outside_a_commons(&self, dir: &str, args: &[&str]) -> Run {
        let r = self.tribune(&[&["-C", dir][..], args].concat()).fails(1, "not in a tribune commons");
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        r
    }

    /// A plain git repository `name` made by `git init -q ARGS`, with one empty commit
    /// `message`; returns its path.
    pub fn repo_with_a_commit(&self, name: &str, args: &[&str], message: &str) -> String {
        let r = self.path(name).to_string_lossy().into_owned();
        self.git(&[&["init", "-q"][..], args, &[r.as_str()]].concat()).ok();
        self.git(&["-C", &r, "commit", "-q", "--allow-empty", "-m", message]).ok();
        r
    }

    /// A plain `git clone` of `repo` at `dir` in the sandbox; returns its path.
    pub fn clone_of(&self, repo: &str, dir: &str) -> String {
        let w = self.path(dir).to_string_lossy().into_owned();
        self.git(&["clone", "-q", repo, &w]).ok();
        w
    }

    /// An executable shell script in the sandbox; returns its path.
    pub fn script(&self, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = self.write(name, format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Every ref with its target, as plain git sees them.
    pub fn refs(&self, repo: &str) -> String {
        self.git(&["-C", repo, "for-each-ref", "--format=%(refname) %(objectname)"]).ok().stdout
    }

    /// Asserts `git fsck --strict` finds nothing at all to say.
    #[track_caller]
    pub fn fsck(&self, repo: &str) {
        let r = self.git(&["-C", repo, "fsck", "--strict", "--no-dangling"]).ok();
        assert!(r.stdout.trim().is_empty() && r.stderr.trim().is_empty(), "fsck:\n{}{}", r.stdout, r.stderr);
    }
}

/// An ssh-agent on a socket in the sandbox, killed when dropped, even when a test fails.
pub struct Agent {
    child: std::process::Child,
    pub sock: String,
}

impl Agent {
    pub fn start(env: &Env) -> Agent {
        let sock = env.path("agent.sock").to_string_lossy().into_owned();
        let child = Command::new("ssh-agent")
            .args(["-D", "-a", &sock])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent runs");
        let agent = Agent { child, sock };
        for _ in 0..500 {
            if std::path::Path::new(&agent.sock).exists() {
                return agent;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("ssh-agent did not open {}", agent.sock);
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new sandbox with [`Env::commons`] in it.
pub fn commons() -> (Env, String) {
    let env = Env::new();
    let c = env.commons();
    (env, c)
}

/// A starting gate for processes (a FIFO): see [`Env::spawn_behind`].
pub struct Gate(PathBuf);

impl Gate {
    pub fn new(env: &Env, name: &str) -> Gate {
        let path = env.path(name);
        let out = Command::new("mkfifo").arg(&path).output().unwrap();
        assert!(out.status.success(), "mkfifo: {}", String::from_utf8_lossy(&out.stderr));
        Gate(path)
    }

    /// Lets every process behind the gate run, and waits for them all.
    pub fn open(self, children: Vec<Child>) -> Vec<Run> {
        // Held open until every process is done, so that one that reaches the gate late
        // still finds it open.
        let writer = std::fs::OpenOptions::new().write(true).open(&self.0).unwrap();
        let runs = children.into_iter().map(finish).collect();
        drop(writer);
        runs
    }
}

/// Runs `tribune ARGS` on a pseudo-terminal `cols` columns wide (util-linux `script`),
/// after the shell commands `setup` (such as `unset PAGER`, or a redirection of its own in
/// ARGS' place: `setup` ends with `exec tribune`). Standard output and error both go to the
/// terminal and come back in `stdout`, with the terminal's `\r\n` as `\n`.
pub fn on_terminal(env: &Env, cols: u16, setup: &str, args: &[&str]) -> Run {
    let mut line = format!("stty cols {cols} rows 50 && {setup} exec {}", shell_quote(&binary().to_string_lossy()));
    for a in args {
        line.push(' ');
        line.push_str(&shell_quote(a));
    }
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]);
    let mut r = env.run_command(cmd);
    r.stdout = r.stdout.replace("\r\n", "\n");
    r
}

/// `s` quoted for the shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Waits for a process started by [`Env::spawn`] and collects what it printed.
pub fn finish(child: Child) -> Run {
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An article with front matter; `extra` lines go into the front matter.
pub fn article(title: &str, contingent: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nauthors = [\"R. Lopez\"]\ncontingent = \"{contingent}\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n{extra}+++\n{body}"
    )
}

/// Every ref and every file under the git dir's `objects/`: what a refused command must not change.
pub fn state(env: &Env, repo: &str) -> (String, Vec<String>) {
    let git_dir = env.git(&["-C", repo, "rev-parse", "--absolute-git-dir"]).ok().stdout.trim().to_string();
    let files = files_under(&std::path::Path::new(&git_dir).join("objects"));
    let files = files.into_iter().map(|f| format!("objects/{f}")).collect();
    (env.refs(repo), files)
}

/// Every file under `dir`, relative to it, sorted.
pub fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// A new sandbox with the commons `setup` makes (e.g. [`Env::commons`]), in which
/// `tribune -C C ARGS` is [`refused`]; returns them for further checks.
#[track_caller]
pub fn refused_in(setup: fn(&Env) -> String, args: &[&str], code: i32, needles: &[&str]) -> (Env, String, Run) {
    let env = Env::new();
    let c = setup(&env);
    let r = refused(&env, &c, &[&["-C", c.as_str()][..], args].concat(), code, needles);
    (env, c, r)
}

/// Runs a tribune command that must fail with `code` and every one of `needles` on stderr,
/// print nothing on stdout, and leave the refs and objects of `repo` exactly as they were.
#[track_caller]
pub fn refused(env: &Env, repo: &str, args: &[&str], code: i32, needles: &[&str]) -> Run {
    let before = state(env, repo);
    let r = env.tribune(args).fails(code, needles[0]);
    for n in &needles[1..] {
        assert!(r.stderr.contains(n), "stderr lacks {n:?}:\n{}", r.stderr);
    }
    assert!(r.stdout.is_empty(), "a refused command printed on stdout:\n{}", r.stdout);
    assert_eq!(state(env, repo), before, "a refused command ({args:?}) wrote refs or objects");
    r
}

/// The first two hex digits of sha1 of the slug's bytes, computed by `sha1sum`.
pub fn shard(slug: &str) -> String {
    let out = std::process::Command::new("sh").args(["-c", "printf %s \"$1\" | sha1sum", "sh", slug]).output().unwrap();
    assert!(out.status.success());
    let hex = String::from_utf8(out.stdout).unwrap();
    format!("{}/{}", &hex[..2], &hex[2..4])
}

pub fn text_path(slug: &str) -> String {
    format!("articles/{}/{slug}/index.md", shard(slug))
}

pub fn rev(env: &Env, repo: &str, what: &str) -> String {
    env.git(&["-C", repo, "rev-parse", what]).ok().stdout.trim().to_string()
}

/// An ed25519 key pair made by ssh-keygen, without a passphrase: (private key path, public key line).
pub fn keypair(env: &Env, name: &str) -> (String, String) {
    keypair_with(env, name, "")
}

/// [`keypair`] with the private key protected by `passphrase`.
pub fn keypair_with(env: &Env, name: &str, passphrase: &str) -> (String, String) {
    let path = env.path(&format!("keys/{name}"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    ssh_keygen(&path, &["-t", "ed25519", "-N", passphrase, "-C", name]);
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (path.to_string_lossy().into_owned(), public.trim().to_string())
}

/// Makes a key pair with `ssh-keygen -q ARGS -f PATH` (the public half at PATH.pub).
#[track_caller]
pub fn ssh_keygen(path: &std::path::Path, args: &[&str]) {
    let out = Command::new("ssh-keygen").arg("-q").args(args).arg("-f").arg(path).output().expect("ssh-keygen runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A commit made by plain `git commit-tree`, SSH-signed with the private key file `key`.
pub fn signed_commit(env: &Env, repo: &str, key: &str, tree: &str, parents: &[&str], message: &str) -> String {
    let signing = format!("user.signingkey={key}");
    let mut args = vec!["-C", repo, "-c", "gpg.format=ssh", "-c", &signing, "commit-tree", tree, "-S", "-m", message];
    for p in parents {
        args.extend(["-p", p]);
    }
    env.git(&args).ok().stdout.trim().to_string()
}

/// The arguments of `roster add-member ID --contingent CONTINGENT --name NAME --email EMAIL`
/// for `[ID, CONTINGENT, NAME, EMAIL]`, followed by `more`.
pub fn member_args<'a>(member: [&'a str; 4], more: &[&'a str]) -> Vec<&'a str> {
    let [id, contingent, name, email] = member;
    let mut args = vec!["roster", "add-member", id, "--contingent", contingent, "--name", name, "--email", email];
    args.extend_from_slice(more);
    args
}

/// [`member_args`] after `-C C`.
pub fn add_member_args<'a>(c: &'a str, member: [&'a str; 4], more: &[&'a str]) -> Vec<&'a str> {
    [&["-C", c][..], &member_args(member, more)].concat()
}

/// `roster add-member ID` in `contingent`, named ID, with email ID@example.org and the key `public`.
pub fn add_keyed_member(env: &Env, c: &str, id: &str, contingent: &str, public: &str) -> Run {
    env.tribune(&add_member_args(c, [id, contingent, id, &format!("{id}@example.org")], &["--public-key", public]))
}

/// Runs `git -C REPO ARGS` with SSH signatures checked against the allowed-signers file `signers`.
pub fn git_with_signers(env: &Env, repo: &str, signers: &str, args: &[&str]) -> Run {
    let allowed = format!("gpg.ssh.allowedSignersFile={signers}");
    let mut all = vec!["-C", repo, "-c", "gpg.format=ssh", "-c", &allowed];
    all.extend_from_slice(args);
    env.git(&all)
}

/// `git verify-commit` of erin's ratings notes tip, with erin's key `public` as the only
/// allowed signer (principal erin@example.org).
pub fn verify_erins_notes(env: &Env, c: &str, public: &str) -> Run {
    let allowed = env.write("allowed", format!("erin@example.org namespaces=\"git\" {public}\n"));
    git_with_signers(env, c, &allowed, &["verify-commit", "refs/notes/tribune/ratings/erin"])
}

/// Every rating of `slug` (`ratings --json --all`), oldest first, as (score, signature).
pub fn ratings_standing(env: &Env, c: &str, slug: &str) -> Vec<(i64, String)> {
    let j = env.tribune(&["-C", c, "ratings", slug, "--json", "--all"]).ok().json();
    j["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["score"].as_i64().unwrap(), r["signature"].as_str().unwrap().to_string()))
        .collect()
}

/// `tribune -C C filter add NAME --trust T… --dimension politics --min-score MIN`, then `more`.
pub fn add_filter(env: &Env, c: &str, name: &str, trust: &[&str], min_score: &str, more: &[&str]) -> Run {
    let mut args = vec!["-C", c, "filter", "add", name];
    for t in trust {
        args.extend(["--trust", t]);
    }
    args.extend(["--dimension", "politics", "--min-score", min_score]);
    args.extend_from_slice(more);
    env.tribune(&args)
}

/// Commits everything in the clone `w` with plain git (`add -A`, `commit`) and pushes `branch`.
/// The demo commons (in `demo`) cloned bare as a hub (`hub.git`) with tribune's
/// pre-receive hook; returns the hub's path.
pub fn demo_hub(env: &Env) -> String {
    let demo = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &demo]).ok();
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &demo, &hub]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    hub
}

/// Writes each of `files` (path in the work tree `w` → text) and, for None, deletes it.
pub fn write_files(w: &str, files: &[(&str, Option<&str>)]) {
    for (path, text) in files {
        let p = std::path::Path::new(w).join(path);
        match text {
            Some(t) => {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, t).unwrap();
            }
            None => std::fs::remove_file(&p).unwrap(),
        }
    }
}

pub fn commit_and_push(env: &Env, w: &str, branch: &str, message: &str) {
    env.git(&["-C", w, "add", "-A"]).ok();
    env.git(&["-C", w, "commit", "-q", "-m", message]).ok();
    env.git(&["-C", w, "push", "-q", "origin", branch]).ok();
}

/// Changes the file `path` of the trunk with plain git: in a clone `w` of `repo`, `edit` turns
/// its text into the new one, which is committed and pushed to main. Returns (the clone's path,
/// the new text).
pub fn edit_with_git(
    env: &Env,
    repo: &str,
    path: &str,
    message: &str,
    edit: impl FnOnce(&str) -> String,
) -> (String, String) {
    let w = env.clone_of(repo, "w");
    let file = format!("{w}/{path}");
    let text = edit(&std::fs::read_to_string(&file).unwrap());
    std::fs::write(&file, &text).unwrap();
    commit_and_push(env, &w, "main", message);
    (w, text)
}

/// How many versions `list --json` gives its first article.
pub fn versions_listed(env: &Env, c: &str) -> serde_json::Value {
    env.tribune(&["-C", c, "list", "--json"]).ok().json()[0]["versions"].clone()
}

/// The full message of the commit `what`.
pub fn message_of(env: &Env, repo: &str, what: &str) -> String {
    env.git(&["-C", repo, "log", "-1", "--format=%B", what]).ok().stdout
}

/// Asserts that each of `lines` (trailers, say) is a whole line of the message `msg`.
#[track_caller]
pub fn assert_lines(msg: &str, lines: &[&str]) {
    for l in lines {
        assert!(msg.lines().any(|m| m == *l), "{l:?} missing:\n{msg}");
    }
}

/// The files the commit `what` changed, as `git diff-tree --name-status` names them.
pub fn changed(env: &Env, repo: &str, what: &str) -> String {
    env.git(&["-C", repo, "diff-tree", "--no-commit-id", "-r", "--name-status", what]).ok().stdout
}

/// An ed25519 key pair made from `seed` (the same key on every run and machine, so that what
/// it signs has the same ids), written as ssh-keygen writes one, without a passphrase:
/// (private key path, public key line).
pub fn seeded_keypair(env: &Env, name: &str, seed: u8) -> (String, String) {
    use ssh_key::{private::Ed25519Keypair, LineEnding, PrivateKey};
    let key = PrivateKey::new(Ed25519Keypair::from_seed(&[seed; 32]).into(), name).unwrap();
    let path = env.path(&format!("keys/{name}"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, key.to_openssh(LineEnding::LF).unwrap().as_bytes()).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let public = key.public_key().to_openssh().unwrap();
    std::fs::write(path.with_extension("pub"), format!("{public}\n")).unwrap();
    (path.to_string_lossy().into_owned(), public)
}
