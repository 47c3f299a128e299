//! Signing with keys tribune cannot read itself: keys held only by an ssh-agent, and keys
//! protected by a passphrase, signed through `ssh-keygen -Y sign` as git does.

use crate::harness::*;
use std::process::Command;

const SLUG: &str = "port-blockade";

/// A commons with an article and a member erin whose registered key is new, protected by
/// `passphrase`; returns (env, erin's private key file, her public key, commons).
fn setup(passphrase: &str) -> (Env, String, String, String) {
    let env = Env::new();
    let (key, public) = keypair_with(&env, "erin", passphrase);
    let c = env.commons_with_article(SLUG);
    add_keyed_member(&env, &c, "erin", "abc", &public).ok();
    (env, key, public, c)
}

/// Runs a command with no controlling terminal (`setsid`), so that ssh-keygen can never open
/// /dev/tty and wait there for a passphrase, even when the tests run in a terminal.
fn detached(env: &Env, program: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new("setsid");
    cmd.arg("-w").arg(program).args(args);
    env.run_command(cmd)
}

fn tribune_detached(env: &Env, args: &[&str]) -> Run {
    detached(env, env!("CARGO_BIN_EXE_tribune"), args)
}

#[track_caller]
fn assert_all_verified(env: &Env, c: &str) {
    let out = env.tribune(&["-C", c, "ratings", SLUG, "--json", "--all"]).ok().stdout;
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ratings = j["ratings"].as_array().unwrap();
    assert!(!ratings.is_empty() && ratings.iter().all(|r| r["signature"] == "verified"), "{j}");
}

/// An agent that holds `key`, whose private file is then deleted: only the agent can sign.
fn agent_holding(env: &mut Env, key: &str) -> Agent {
    let agent = Agent::start(env);
    env.vars.push(("SSH_AUTH_SOCK".into(), agent.sock.clone()));
    env.run_command({
        let mut cmd = Command::new("ssh-add");
        cmd.arg(key);
        cmd
    })
    .ok();
    std::fs::remove_file(key).unwrap();
    agent
}

#[test]
fn a_key_held_only_by_ssh_agent_signs_through_ssh_keygen() {
    let (mut env, key, public, c) = setup("");
    let _agent = agent_holding(&mut env, &key);

    // --key KEY.pub: the agent signs.
    let pubfile = format!("{key}.pub");
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &pubfile]).ok();
    let v = verify_erins_notes(&env, &c, &public);
    assert_eq!(v.code, 0, "git verify-commit: {}", v.stderr);
    assert!(v.stderr.contains("Good \"git\" signature for erin@example.org"), "{}", v.stderr);
    assert_all_verified(&env, &c);

    // git's own configuration for an agent key: user.signingkey = key::<public key line>.
    env.git(&["-C", &c, "config", "gpg.format", "ssh"]).ok();
    env.git(&["-C", &c, "config", "user.signingkey", &format!("key::{public}")]).ok();
    let before = rev(&env, &c, "refs/notes/tribune/ratings/erin");
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-1", "--as", "erin"]).ok();
    assert_ne!(rev(&env, &c, "refs/notes/tribune/ratings/erin"), before);
    let v = verify_erins_notes(&env, &c, &public);
    assert!(v.code == 0 && v.stderr.contains("Good \"git\" signature for erin@example.org"), "{}", v.stderr);
    assert_all_verified(&env, &c);

    // The bare literal older git accepted works too.
    env.git(&["-C", &c, "config", "user.signingkey", &public]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "erin"]).ok();
    assert_all_verified(&env, &c);
    env.fsck(&c);
}

#[test]
fn a_key_protected_by_a_passphrase_is_refused_cleanly_without_a_terminal() {
    let (mut env, key, public, c) = setup("correct horse");
    let rate = ["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key];

    // No terminal, no askpass, no agent: refused before anything is written.
    let before = state(&env, &c);
    let r = tribune_detached(&env, &rate).fails(1, "is protected by a passphrase");
    assert!(r.stderr.contains("no terminal") && r.stderr.contains("ssh-add"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(state(&env, &c), before, "a refused rating wrote refs or objects");

    // A wrong passphrase through SSH_ASKPASS: ssh-keygen's own words, and no ref moves.
    let wrong = env.script("askpass-wrong", "echo wrong");
    env.vars.push(("SSH_ASKPASS".into(), wrong));
    env.vars.push(("SSH_ASKPASS_REQUIRE".into(), "force".into()));
    let refs = env.refs(&c);
    let r = tribune_detached(&env, &rate).fails(1, "incorrect passphrase");
    assert!(
        r.stderr.contains("ssh-keygen could not sign") && r.stderr.contains("check the passphrase"),
        "{}",
        r.stderr
    );
    assert_eq!(env.refs(&c), refs);

    // The right one signs.
    let right = env.script("askpass-right", "echo 'correct horse'");
    env.vars.retain(|(k, _)| k != "SSH_ASKPASS");
    env.vars.push(("SSH_ASKPASS".into(), right.clone()));
    tribune_detached(&env, &rate).ok();
    let v = verify_erins_notes(&env, &c, &public);
    assert!(v.code == 0 && v.stderr.contains("Good \"git\" signature for erin@example.org"), "{}", v.stderr);
    assert_all_verified(&env, &c);

    // Loaded into an agent, the key signs without any passphrase asked.
    let agent = Agent::start(&env);
    env.vars.push(("SSH_AUTH_SOCK".into(), agent.sock.clone()));
    detached(&env, "ssh-add", &[&key]).ok();
    env.vars.retain(|(k, _)| !k.starts_with("SSH_ASKPASS"));
    let tip = rev(&env, &c, "refs/notes/tribune/ratings/erin");
    tribune_detached(&env, &["-C", &c, "rate", SLUG, "--score", "1", "--as", "erin", "--key", &key]).ok();
    assert_ne!(rev(&env, &c, "refs/notes/tribune/ratings/erin"), tip);
    assert_all_verified(&env, &c);
    env.fsck(&c);
}

#[test]
fn without_an_agent_or_ssh_keygen_an_agent_key_is_refused_and_nothing_is_written() {
    let (mut env, key, public, c) = setup("");
    let pubfile = format!("{key}.pub");
    let rate = ["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &pubfile];
    // With the unencrypted private key beside KEY.pub, no agent is needed: tribune signs itself.
    env.tribune(&rate).ok();
    assert_all_verified(&env, &c);
    std::fs::remove_file(&key).unwrap();

    refused(&env, &c, &rate, 1, &["no ssh-agent is reachable", "SSH_AUTH_SOCK is not set"]);
    let nowhere = env.path("nowhere.sock").to_string_lossy().into_owned();
    env.vars.push(("SSH_AUTH_SOCK".into(), nowhere.clone()));
    refused(&env, &c, &rate, 1, &["no ssh-agent is reachable", &nowhere, "start ssh-agent"]);
    env.git(&["-C", &c, "config", "gpg.format", "ssh"]).ok();
    env.git(&["-C", &c, "config", "user.signingkey", &format!("key::{public}")]).ok();
    refused(&env, &c, &["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin"], 1, &["no ssh-agent is reachable"]);

    // An agent that does not hold the key.
    let agent = Agent::start(&env);
    env.vars.retain(|(k, _)| k != "SSH_AUTH_SOCK");
    env.vars.push(("SSH_AUTH_SOCK".into(), agent.sock.clone()));
    refused(&env, &c, &rate, 1, &["the ssh-agent does not hold the key", "ssh-add"]);

    // No ssh-keygen where gpg.ssh.program says.
    env.git(&["-C", &c, "config", "gpg.ssh.program", "/nonexistent/ssh-keygen"]).ok();
    refused(&env, &c, &rate, 1, &["/nonexistent/ssh-keygen is not installed", "openssh-client"]);

    // Not a key at all.
    let junk = env.write("junk.pub", "not a key\n");
    refused(
        &env,
        &c,
        &["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &junk],
        1,
        &["is not an OpenSSH key"],
    );
    let missing = env.path("missing").to_string_lossy().into_owned();
    refused(
        &env,
        &c,
        &["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &missing],
        1,
        &["cannot read the key"],
    );
}

#[test]
fn a_signing_program_that_prints_no_signature_is_caught() {
    let (mut env, key, _, c) = setup("");
    let _agent = agent_holding(&mut env, &key);
    let fake = env.script("fake-keygen", "cat >/dev/null\necho 'all signed, trust me'");
    env.git(&["-C", &c, "config", "gpg.ssh.program", &fake]).ok();
    let refs = env.refs(&c);
    let pubfile = format!("{key}.pub");
    let r = env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &pubfile]);
    r.fails(1, "did not print an SSH signature");
    assert_eq!(env.refs(&c), refs);
}
