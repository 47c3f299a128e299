//! Parallel writers (DESIGN invariant 2): eight processes of every writing command at once,
//! on one commons. Whatever any of them reported as written is there afterwards, as plain
//! git sees it, and `git fsck --strict` is clean. Writers that create a ref race hardest
//! (a new rater's notes, a new edition branch, each member's first ballot), so every round
//! has new raters and a new edition, while ballots, replies and the trunk move again.

use crate::harness::*;
use crate::vote_fixture::{self, Vote, DEADLINE, SLUG};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};

/// Processes per command, per round.
const N: usize = 8;
const ROUNDS: usize = 4;

/// The contingent whose new edition every `rewrite` of a round writes to.
fn edition(round: usize) -> String {
    format!("e{round}")
}
/// The new raters of `rate` and `rate --batch` in a round.
fn rater(round: usize) -> String {
    format!("fresh-rater-{round}")
}
fn batch_rater(round: usize) -> String {
    format!("fresh-batch-rater-{round}")
}

/// A commons with an electorate of N and an open statement, N articles and N challenges.
struct Fixture {
    v: Vote,
    /// The trunk's version of each article `base-I`.
    base: Vec<String>,
    /// Challenges to xyz, which the `reply` writers answer.
    challenges: Vec<String>,
}

/// One process: its command, its number within the command, its arguments.
struct Writer {
    command: &'static str,
    i: usize,
    args: Vec<String>,
}

fn setup() -> Fixture {
    let v = vote_fixture::setup(N);
    let (env, c) = (&v.env, v.c.as_str());
    for round in 0..ROUNDS {
        env.tribune(&["-C", c, "roster", "add-contingent", &edition(round), "--name", "An edition"]).ok();
    }
    let mut base = Vec::new();
    for i in 0..N {
        let f = env.write(&format!("base{i}.md"), article(&format!("Base {i}"), "abc", "", "A story.\n"));
        env.tribune(&["-C", c, "contribute", &f, "--slug", &format!("base-{i}")]).ok();
        base.push(rev(env, c, &format!("main:{}", text_path(&format!("base-{i}")))));
    }
    let challenges = (0..N)
        .map(|i| {
            let text = format!("Question {i}");
            let r = env.tribune(&["-C", c, "challenge", "--from", "abc", "--to", "xyz", "-m", &text, "--json"]).ok();
            field(&serde_json::from_str(&r.stdout).unwrap(), "id")
        })
        .collect();
    Fixture { v, base, challenges }
}

/// The writers of one round: N of each command, each writing something of its own.
fn writers(f: &Fixture, round: usize) -> Vec<Writer> {
    let (env, c) = (&f.v.env, f.v.c.as_str());
    let mut out = Vec::new();
    let mut add = |command: &'static str, i: usize, args: &[&str]| {
        let args = ["-C", c].iter().chain(args).map(|a| a.to_string()).collect();
        out.push(Writer { command, i, args });
    };
    for i in 0..N {
        let new = env.write(&format!("new-{round}-{i}.md"), article(&format!("New {round} {i}"), "abc", "", "News.\n"));
        add("contribute", i, &["contribute", &new, "--slug", &format!("new-{round}-{i}"), "--json"]);
    }
    for i in 0..N {
        let text =
            article(&format!("Base {i}"), "abc", "", &format!("A story, retold by writer {i} in round {round}.\n"));
        let file = env.write(&format!("rewrite-{round}-{i}.md"), text);
        add(
            "rewrite",
            i,
            &["rewrite", &format!("base-{i}"), "--contingent", &edition(round), "--file", &file, "--json"],
        );
    }
    for i in 0..N {
        let comment = format!("rate {round} {i}");
        add(
            "rate",
            i,
            &["rate", &format!("base-{i}"), "--score", "1", "--as", &rater(round), "--comment", &comment, "--json"],
        );
    }
    for i in 0..N {
        // Every batch rates every article, so the writers also merge lines into the same notes.
        let lines: String = (0..N)
            .map(|k| {
                let score = ((i + k) % 5) as i64 - 2;
                let comment = format!("batch {round} {i} line {k}");
                format!(
                    "{{\"slug\":\"base-{k}\",\"score\":{score},\"rater\":\"{}\",\"comment\":\"{comment}\"}}\n",
                    batch_rater(round)
                )
            })
            .collect();
        let file = env.write(&format!("batch-{round}-{i}.jsonl"), lines);
        add("rate --batch", i, &["rate", "--batch", &file]);
    }
    for i in 0..N {
        let m = format!("m{}", i + 1);
        let choice = if round % 2 == 0 { "yes" } else { "no" };
        add("vote", i, &["vote", SLUG, choice, "--as", &m, "--key", f.v.key(&m), "--json"]);
    }
    for i in 0..N {
        let text = format!("Parallel question {round} {i}");
        add("challenge", i, &["challenge", "--from", "xyz", "--to", "abc", "-m", &text, "--json"]);
    }
    for (i, id) in f.challenges.iter().enumerate() {
        add("reply", i, &["reply", id, "--as", "xyz", "-m", &format!("Answer {i} in round {round}"), "--json"]);
    }
    for i in 0..N {
        let (name, rater) = (format!("f-{round}-{i}"), format!("t-{round}-{i}"));
        let args = ["filter", "add", &name, "--trust", &rater, "--dimension", "politics", "--min-score", "1"];
        add("filter add --shared", i, &[&args[..], &["--shared"]].concat());
    }
    for i in 0..N {
        let file = env.write(
            &format!("statement-{round}-{i}.md"),
            format!("+++\ntitle = \"Statement {round} {i}\"\n+++\nText.\n"),
        );
        add("propose", i, &["propose", &file, "--slug", &format!("par-{round}-{i}"), "--deadline", DEADLINE, "--json"]);
    }
    out
}

/// What `git rev-parse` makes of `what`, if it names anything.
fn resolve(env: &Env, c: &str, what: &str) -> Option<String> {
    let r = env.git(&["-C", c, "rev-parse", "--verify", "-q", what]);
    (r.code == 0).then(|| r.stdout.trim().to_string())
}

fn is_ancestor(env: &Env, c: &str, commit: &str, refname: &str) -> bool {
    env.git(&["-C", c, "merge-base", "--is-ancestor", commit, refname]).code == 0
}

/// The note `rater` keeps on `version`, empty when there is none.
fn note(env: &Env, c: &str, rater: &str, version: &str) -> String {
    env.git(&["-C", c, "notes", &format!("--ref=refs/notes/tribune/ratings/{rater}"), "show", version]).stdout
}

fn field(j: &Value, key: &str) -> String {
    j[key].as_str().unwrap_or_default().to_string()
}

/// Each record a successful writer reported, and whether plain git finds it.
fn check(f: &Fixture, round: usize, w: &Writer, r: &Run) -> Vec<(String, bool)> {
    let (env, c, i) = (&f.v.env, f.v.c.as_str(), w.i);
    let j: Value = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    let (commit, version) = (field(&j, "commit"), field(&j, "version"));
    match w.command {
        "contribute" | "challenge" | "reply" => {
            let path = field(&j, "path");
            let text = env.git(&["-C", c, "show", &format!("main:{path}")]).stdout;
            let mut there = resolve(env, c, &format!("main:{path}")).is_some() && is_ancestor(env, c, &commit, "main");
            if w.command == "reply" {
                there &= text.contains(&format!("Answer {i} in round {round}"));
            }
            vec![(format!("{path} in {commit}"), there)]
        }
        "rewrite" => {
            let branch = format!("refs/heads/contingents/{}", edition(round));
            let path = text_path(&field(&j, "slug"));
            let there = resolve(env, c, &format!("{branch}:{path}")).as_deref() == Some(version.as_str())
                && is_ancestor(env, c, &commit, &branch);
            vec![(format!("{path} {version} in {commit}"), there)]
        }
        "rate" => {
            let there = note(env, c, &rater(round), &version).contains(&format!("\"comment\":\"rate {round} {i}\""))
                && is_ancestor(env, c, &commit, &format!("refs/notes/tribune/ratings/{}", rater(round)));
            vec![(format!("rate {round} {i} on {version}"), there)]
        }
        "rate --batch" => {
            assert!(r.stdout.contains(&format!("Recorded {N} ratings by 1 rater")), "{}", r.stdout);
            (0..N)
                .map(|k| {
                    let line = format!("batch {round} {i} line {k}");
                    let there =
                        note(env, c, &batch_rater(round), &f.base[k]).contains(&format!("\"comment\":\"{line}\""));
                    (line, there)
                })
                .collect()
        }
        "vote" => {
            let refname = field(&j, "ref");
            vec![(format!("ballot {commit} on {refname}"), resolve(env, c, &refname) == Some(commit.clone()))]
        }
        "filter add --shared" => {
            assert!(r.stdout.contains(&format!("Shared filter f-{round}-{i} on the trunk")), "{}", r.stdout);
            let path = format!("filters/f-{round}-{i}.toml");
            vec![(path.clone(), resolve(env, c, &format!("main:{path}")).is_some())]
        }
        "propose" => {
            let path = format!("statements/par-{round}-{i}/index.md");
            let there = resolve(env, c, &format!("main:{path}")).as_deref() == Some(field(&j, "text").as_str())
                && is_ancestor(env, c, &commit, "main");
            vec![(format!("{path} in {commit}"), there)]
        }
        other => unreachable!("{other}"),
    }
}

#[test]
fn eight_processes_of_every_writing_command_lose_nothing_they_reported() {
    let f = setup();
    let (env, c) = (&f.v.env, f.v.c.as_str());
    // Per command: records reported, records present, what is missing.
    let mut tallies: BTreeMap<&str, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut failed = Vec::new();
    for round in 0..ROUNDS {
        let writers = writers(&f, round);
        // Every process of the round waits at one gate, so that they all start together.
        let gate = Gate::new(env, &format!("gate-{round}"));
        let children: Vec<_> = writers
            .iter()
            .map(|w| env.spawn_behind(&gate, &w.args.iter().map(String::as_str).collect::<Vec<_>>()))
            .collect();
        let runs = gate.open(children);
        for (w, r) in writers.iter().zip(&runs) {
            let tally = tallies.entry(w.command).or_default();
            if r.code != 0 {
                failed.push(format!("round {round}: {} #{} exited {}: {}", w.command, w.i, r.code, r.stderr.trim()));
                continue;
            }
            for (what, there) in check(&f, round, w, r) {
                tally.0 += 1;
                if there {
                    tally.1 += 1;
                } else {
                    tally.2.push(format!("round {round}: {} #{}: {what}", w.command, w.i));
                }
            }
        }
    }
    let lost: usize = tallies.values().map(|t| t.0 - t.1).sum();
    let summary: Vec<String> = tallies
        .iter()
        .map(|(command, (reported, present, _))| format!("{command}: {reported} reported, {present} present"))
        .collect();
    let missing: Vec<&String> = tallies.values().flat_map(|t| &t.2).collect();
    assert!(
        lost == 0 && failed.is_empty(),
        "{lost} records reported as written are missing; {} processes failed\n{}\nmissing:\n{missing:#?}\nfailed:\n{failed:#?}",
        failed.len(),
        summary.join("\n")
    );
    env.fsck(c);
}

/// `approve` beside `vote`s on one statement: ballots dated before the tag but landing after
/// the count voided the approval that `approve` had reported (and the votes had reported
/// success too). Now an approval that any of them reports verifies, and every ballot a vote
/// reports is there.
#[test]
fn an_approval_racing_votes_is_never_reported_when_it_does_not_verify() {
    let v = vote_fixture::setup(12);
    let (env, c) = (&v.env, v.c.as_str());
    for round in 0..6 {
        let slug = format!("race-{round}");
        let file = env.write(&format!("race-{round}.md"), format!("+++\ntitle = \"Race {round}\"\n+++\nText.\n"));
        env.tribune(&["-C", c, "propose", &file, "--slug", &slug, "--deadline", DEADLINE]).ok();
        // 11 yes of 12: decided; four members turning to no make it open again.
        for i in 1..=11 {
            let m = format!("m{i}");
            env.tribune(&["-C", c, "vote", &slug, "yes", "--as", &m, "--key", v.key(&m)]).ok();
        }
        let gate = Gate::new(env, &format!("gate-{round}"));
        // The votes first, so that their ballots are dated before the approval.
        let mut children: Vec<_> = (2..=5)
            .map(|i| {
                let m = format!("m{i}");
                env.spawn_behind(&gate, &["-C", c, "vote", &slug, "no", "--as", &m, "--key", v.key(&m)])
            })
            .collect();
        children.push(env.spawn_behind(&gate, &["-C", c, "approve", &slug, "--as", "m1", "--key", v.key("m1")]));
        let runs = gate.open(children);
        let approve = runs.last().unwrap();
        if approve.code == 0 {
            let r = env.tribune(&["-C", c, "verify", &slug]);
            assert_eq!(r.code, 0, "round {round}: approve said {}\nverify: {}{}", approve.stdout, r.stdout, r.stderr);
        }
        for (i, run) in runs[..4].iter().enumerate() {
            if run.code == 0 {
                let m = format!("m{}", i + 2);
                let msg = message_of(env, c, &format!("refs/tribune/ballots/{slug}/{m}"));
                assert!(msg.starts_with("no"), "round {round}: {m}'s reported ballot is there: {msg}");
            }
        }
        env.git(&["-C", c, "fsck", "--strict"]).ok();
    }
}

/// The race above, made to happen every time: a `vote` begins while the approval in place
/// does not verify (a ballot racing it, dated before it and changing its outcome), and that
/// ballot is taken back while the vote signs, so that the approval verifies again. The
/// vote's ballot, dated before the tag and changing its outcome, would void it: it is taken
/// back and the vote says so. (It was kept: the tag's id had not changed while the ballot
/// was written, and that was all the vote looked at; an approval taken back and written
/// again with the same count has the same id.)
#[test]
fn a_ballot_that_would_void_an_approval_made_while_it_was_signed_is_taken_back() {
    let mut v = vote_fixture::setup(4);
    // 3 yes of 4: decided; one of them turning to no makes it open again.
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    let before = v.env.last();
    v.approve("m1").ok();
    v.verify().ok();
    let c = v.c.clone();
    let yes = v.tip("m2");

    // Every command from now on is dated before the approval.
    v.env.set_clock(&before);
    v.env.freeze_clock();
    // m2's "no", as a racing vote would leave it: the approval does not verify.
    let racing = v.git_ballot("m2", &v.message("m2", "no", 2), Some(v.key("m2")), Some(&yes));
    let r = v.verify().fails(1, "failed verification");
    assert!(r.stdout.contains("the tag leaves out valid ballots"), "{}", r.stdout);

    // m2 votes no again, signing through ssh-keygen (the key is in an agent) behind a
    // signing program that waits for a file.
    let (_agent, arrived, go, pubkey) = waiting_signer(&mut v, "m2");
    let mut cmd = Command::new(binary());
    cmd.args(["-C", &c, "vote", SLUG, "no", "--as", "m2", "--key", &pubkey]);
    v.env.pin_command(&mut cmd);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for(&arrived);

    // The racing ballot is taken back meanwhile: the approval verifies again.
    v.env.git(&["-C", &c, "update-ref", &format!("refs/tribune/ballots/{SLUG}/m2"), &yes, &racing]).ok();
    v.verify().ok();
    std::fs::write(&go, "").unwrap();
    let vote = finish(child);

    vote.fails(1, &format!("was approved (tag statements/{SLUG}) while this ballot was being cast: voting is closed, and this ballot was taken back"));
    assert_eq!(v.tip("m2"), yes, "m2's ballot is back at the yes the approval counted");
    let r = v.verify();
    assert_eq!(r.code, 0, "the approval still verifies: {}{}", r.stdout, r.stderr);
    v.env.fsck(&c);
}

/// The other order, made to happen every time: `approve` counts, and while it signs its
/// tag a ballot that changes nothing lands, its vote saying it was recorded. The approval,
/// once in place, finds that ballot left out and counts again: the tag counts it. (It was
/// left out, the approval standing since the outcome was the same.)
#[test]
fn a_ballot_cast_while_an_approval_is_signed_is_counted_by_it() {
    let mut v = vote_fixture::setup(4);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    let c = v.c.clone();
    // m1 approves, signing through ssh-keygen (the key is in an agent) behind a signing
    // program that waits for a file the first time.
    let (_agent, arrived, go, pubkey) = waiting_signer(&mut v, "m1");
    v.env.freeze_clock();
    let mut cmd = Command::new(binary());
    cmd.args(["-C", &c, "approve", SLUG, "--as", "m1", "--key", &pubkey]);
    v.env.pin_command(&mut cmd);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for(&arrived);
    // m4's yes, signed with m4's own key file (no signing program), lands meanwhile.
    v.vote("m4", "yes").ok();
    let m4 = v.tip("m4");
    std::fs::write(&go, "").unwrap();
    finish(child).ok();
    let tag = v.env.git(&["-C", &c, "cat-file", "-p", &format!("refs/tags/statements/{SLUG}")]).ok().stdout;
    assert!(tag.contains(&format!("Tribune-Ballot: m4 {m4} yes")), "the approval counts m4's ballot:\n{tag}");
    let r = v.verify().ok();
    assert!(!r.stdout.contains("leaves out") && !r.stderr.contains("leaves out"), "{}{}", r.stdout, r.stderr);
    v.env.fsck(&c);
}

/// `member`'s key held by an ssh-agent only (its file removed), and the commons' signing
/// program a wrapper of ssh-keygen that, when called, creates `arrived` and waits for `go`
/// to exist: so a test can act while a command signs. The agent, `arrived`, `go`, and the
/// `.pub` file to give as --key.
fn waiting_signer(v: &mut Vote, member: &str) -> (Agent, std::path::PathBuf, std::path::PathBuf, String) {
    let agent = Agent::start(&v.env);
    v.env.vars.push(("SSH_AUTH_SOCK".into(), agent.sock.clone()));
    let mut add = Command::new("ssh-add");
    add.arg(v.key(member));
    v.env.run_command(add).ok();
    std::fs::remove_file(v.key(member)).unwrap();
    let (arrived, go) = (v.env.path("arrived"), v.env.path("go"));
    let program = v.env.script(
        "waiting-keygen",
        &format!(
            "touch '{}'\nwhile [ ! -e '{}' ]; do sleep 0.02; done\nexec ssh-keygen \"$@\"",
            arrived.display(),
            go.display()
        ),
    );
    v.env.git(&["-C", &v.c, "config", "gpg.ssh.program", &program]).ok();
    let pubkey = format!("{}.pub", v.key(member));
    (agent, arrived, go, pubkey)
}

/// Waits (up to 30 s) for `path` to exist.
#[track_caller]
fn wait_for(path: &std::path::Path) {
    for _ in 0..3000 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{} never appeared: the command never came to sign", path.display());
}
