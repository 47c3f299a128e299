//! SSH signatures (SSHSIG, namespace `git`). A key tribune can read, an unencrypted private
//! key file, signs natively, byte for byte what `ssh-keygen -Y sign -n git` makes, so plain
//! `git verify-commit` agrees. A key it cannot read, protected by a passphrase or held only by
//! an ssh-agent, signs through `ssh-keygen -Y sign` as git itself does: asking for the
//! passphrase and talking to the agent stay ssh-keygen's business. Checking is always native.

use crate::error::fail;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const NAMESPACE: &str = "git";
/// git's default for `gpg.ssh.program`.
const SSH_KEYGEN: &str = "ssh-keygen";

/// A key able to sign.
#[derive(Clone)]
pub struct Signer {
    how: How,
    key: ssh_key::PublicKey,
    /// The OpenSSH public key line.
    pub public: String,
}

#[derive(Clone)]
enum How {
    Native(Box<ssh_key::PrivateKey>),
    External(External),
}

/// `ssh-keygen -Y sign` for a key tribune cannot use itself.
#[derive(Clone)]
struct External {
    program: String,
    key: KeyFile,
    /// An encrypted private key file ssh-keygen may load (asking for the passphrase) when the
    /// agent does not hold the key; None when only an agent can sign.
    private: Option<PathBuf>,
}

#[derive(Clone)]
enum KeyFile {
    /// A private key file, or a public key file (`.pub`) whose private half is in the agent
    /// or beside it.
    Path(PathBuf),
    /// A `user.signingkey` literal (`key::ssh-ed25519 …`) written to a temporary file, passed
    /// with `-U` (the key is in the agent), as git does. The file lives as long as the signer.
    Literal(Arc<tempfile::NamedTempFile>),
}

impl KeyFile {
    fn path(&self) -> &Path {
        match self {
            KeyFile::Path(p) => p,
            KeyFile::Literal(f) => f.path(),
        }
    }
}

impl Signer {
    /// Reads a key file: an unencrypted OpenSSH private key signs natively; a private key
    /// protected by a passphrase signs through ssh-keygen (the agent, or a passphrase asked on
    /// the terminal); a public key file (`.pub`) signs natively with the unencrypted private
    /// key beside it, else through ssh-keygen (the agent, else the encrypted key beside it).
    pub fn from_file(path: &Path) -> Result<Signer> {
        Signer::load(path, SSH_KEYGEN)
    }

    fn load(path: &Path, program: &str) -> Result<Signer> {
        // A FIFO or a device would block the read (or never end): a key is a regular file.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(fail(
                format!("the key {} is not a regular file", path.display()),
                "give an OpenSSH private key file, e.g. ~/.ssh/id_ed25519, or the .pub file of a key held by ssh-agent",
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            fail(
                format!("cannot read the key {}: {e}", path.display()),
                "give an OpenSSH private key file, e.g. ~/.ssh/id_ed25519, or the .pub file of a key held by ssh-agent",
            )
        })?;
        if let Some(key) = private_key(&bytes) {
            // OpenSSH stores the public half unencrypted, so it is known without the passphrase.
            let public = key.public_key().clone();
            if !key.is_encrypted() {
                return Signer::new(How::Native(Box::new(key)), public);
            }
            let external =
                External { program: program.into(), key: KeyFile::Path(path.into()), private: Some(path.into()) };
            return Signer::external(external, public, &path.display().to_string());
        }
        let text = String::from_utf8_lossy(&bytes);
        let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
        let Ok(public) = ssh_key::PublicKey::from_openssh(line) else {
            return Err(fail(
                format!("{} is not an OpenSSH key", path.display()),
                "give an OpenSSH private key file, e.g. ~/.ssh/id_ed25519, or the .pub file of a key held by ssh-agent",
            ));
        };
        // ssh-keygen, given KEY.pub, signs with the agent, else with the private key KEY.
        let beside = path.extension().is_some_and(|e| e == "pub").then(|| path.with_extension(""));
        let beside = beside.and_then(|p| Some((private_key(&std::fs::read(&p).ok()?)?, p)));
        let mut private = None;
        if let Some((key, p)) = beside.filter(|(k, _)| k.public_key().key_data() == public.key_data()) {
            if !key.is_encrypted() {
                return Signer::new(How::Native(Box::new(key)), public);
            }
            private = Some(p);
        }
        let external = External { program: program.into(), key: KeyFile::Path(path.into()), private };
        Signer::external(external, public, &path.display().to_string())
    }

    /// A key held by an ssh-agent, given as a public key line (git's `key::` literal).
    fn literal(line: &str, program: &str) -> Result<Signer> {
        let public = ssh_key::PublicKey::from_openssh(line.trim()).map_err(|e| {
            fail(
                format!("user.signingkey is not an SSH public key: {e}"),
                "set it to a key file, or to a key held by ssh-agent as key::ssh-ed25519 AAAA…",
            )
        })?;
        let write = || -> std::io::Result<tempfile::NamedTempFile> {
            use std::io::Write;
            let mut file = tempfile::Builder::new().prefix(".tribune_signing_key_").tempfile()?;
            writeln!(file, "{}", line.trim())?;
            file.flush()?;
            Ok(file)
        };
        let file = write().map_err(|e| {
            fail(format!("cannot write the signing key to a temporary file: {e}"), "check that TMPDIR is writable")
        })?;
        let external = External { program: program.into(), key: KeyFile::Literal(Arc::new(file)), private: None };
        Signer::external(external, public, "user.signingkey")
    }

    /// An external signer, once it is known that it can sign: checked before anything is
    /// written, so that a missing ssh-keygen or agent refuses the command cleanly.
    fn external(external: External, public: ssh_key::PublicKey, name: &str) -> Result<Signer> {
        if !on_path(&external.program) {
            return Err(missing(&external.program, name));
        }
        let in_agent = agent::holds(&public);
        match (&in_agent, &external.private) {
            (Ok(true), _) => {}
            (_, Some(private)) if !can_ask_passphrase() => {
                return Err(fail(
                    format!(
                    "the key {} is protected by a passphrase, and there is no terminal for ssh-keygen to ask for it",
                    private.display()
                ),
                    format!(
                        "load the key into ssh-agent first (ssh-add {}), or run tribune in a terminal",
                        private.display()
                    ),
                ))
            }
            (_, Some(_)) => {}
            (Ok(false), None) => {
                return Err(fail(
                    format!("the ssh-agent does not hold the key {name}"),
                    "load it with ssh-add; ssh-add -l lists the keys the agent holds",
                ))
            }
            (Err(why), None) => {
                return Err(fail(
                    format!("no ssh-agent is reachable to sign with the key {name}: {why}"),
                    "start ssh-agent, set SSH_AUTH_SOCK and load the key with ssh-add",
                ))
            }
        }
        Signer::new(How::External(external), public)
    }

    fn new(how: How, key: ssh_key::PublicKey) -> Result<Signer> {
        let public =
            key.to_openssh().map_err(|e| fail(format!("cannot encode the public key: {e}"), "use an ed25519 key"))?;
        Ok(Signer { how, key, public })
    }

    /// A signer for a private key already in memory (the demo's derived keys).
    pub fn from_private_key(key: ssh_key::PrivateKey) -> Result<Signer> {
        let public_key = key.public_key().clone();
        let public = public_key
            .to_openssh()
            .map_err(|e| fail(format!("cannot encode the public key: {e}"), "use an ed25519 key"))?;
        Ok(Signer { how: How::Native(Box::new(key)), key: public_key, public })
    }

    /// The armored SSHSIG of `data`.
    pub fn sign(&self, data: &[u8]) -> Result<String> {
        let sig = match &self.how {
            How::Native(key) => key
                .sign(NAMESPACE, ssh_key::HashAlg::Sha512, data)
                .map_err(|e| fail(format!("could not sign: {e}"), "use an ed25519 key"))?,
            How::External(external) => external.sign(data, &self.key)?,
        };
        sig.to_pem(ssh_key::LineEnding::LF)
            .map_err(|e| fail(format!("could not encode the signature: {e}"), "use an ed25519 key"))
    }

    /// Is this key one of `keys` (OpenSSH public key lines)?
    pub fn is_one_of(&self, keys: &[String]) -> bool {
        let mine = self.key.key_data();
        keys.iter().any(|k| ssh_key::PublicKey::from_openssh(k).is_ok_and(|p| p.key_data() == mine))
    }
}

impl External {
    /// Runs `PROGRAM -Y sign -n git -f KEY [-U]` with `data` on standard input; the armored
    /// signature comes on standard output.
    fn sign(&self, data: &[u8], public: &ssh_key::PublicKey) -> Result<ssh_key::SshSig> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut cmd = Command::new(&self.program);
        cmd.args(["-Y", "sign", "-n", NAMESPACE, "-f"]).arg(self.key.path());
        if let KeyFile::Literal(_) = self.key {
            cmd.arg("-U");
        }
        cmd.env("LC_ALL", "C").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let name = self.key.path().display().to_string();
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => missing(&self.program, &name),
            _ => fail(format!("cannot run {}: {e}", self.program), "check gpg.ssh.program"),
        })?;
        let stdin = child.stdin.take();
        // Write from a thread while this one reads: neither side can block the other on a full
        // pipe. If ssh-keygen stops early (a wrong passphrase), the write fails and its own
        // error is the one to report.
        let (output, written) = std::thread::scope(|s| {
            let writer = s.spawn(move || match stdin {
                Some(mut stdin) => stdin.write_all(data), // dropped here: closes the pipe
                None => Ok(()),
            });
            let output = child.wait_with_output();
            (output, writer.join())
        });
        let output =
            output.map_err(|e| fail(format!("{} did not finish: {e}", self.program), "check gpg.ssh.program"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let said = stderr.trim();
            let said = if said.is_empty() { format!("it exited with {}", output.status) } else { said.to_string() };
            let hint = match &self.private {
                Some(_) => "check the passphrase, or load the key into ssh-agent (ssh-add)",
                None => "is the key loaded in ssh-agent (ssh-add -l)?",
            };
            return Err(fail(format!("{} could not sign with {name}: {said}", self.program), hint));
        }
        match written {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(fail(format!("could not give {} the data to sign: {e}", self.program), "try again"))
            }
            Err(_) => return Err(fail(format!("could not give {} the data to sign", self.program), "try again")),
        }
        let not_a_signature = |why: &str| {
            fail(
                format!("{} did not print an SSH signature for {name}: {why}", self.program),
                "gpg.ssh.program must behave as ssh-keygen -Y sign",
            )
        };
        let sig = ssh_key::SshSig::from_pem(&output.stdout).map_err(|e| not_a_signature(&e.to_string()))?;
        if sig.public_key() != public.key_data() {
            return Err(not_a_signature("it is made by another key"));
        }
        if sig.namespace() != NAMESPACE {
            return Err(not_a_signature("its namespace is not git"));
        }
        Ok(sig)
    }
}

/// An OpenSSH private key file, read as OpenSSH reads it. ssh-key insists on the base64
/// body wrapped at 70 columns with one kind of line ending, as ssh-keygen writes it; OpenSSH
/// itself drops the line breaks and decodes what is left, so a key written by another tool
/// (Python's `cryptography` wraps at 76 columns; an editor may save CRLF) is rewrapped first.
fn private_key(bytes: &[u8]) -> Option<ssh_key::PrivateKey> {
    if let Ok(key) = ssh_key::PrivateKey::from_openssh(bytes) {
        return Some(key);
    }
    ssh_key::PrivateKey::from_openssh(normalise_pem(bytes)?).ok()
}

/// The OpenSSH private key in `bytes`, its base64 body stripped of all whitespace and
/// rewrapped at 70 columns, LF line endings. None when there is no such key block.
fn normalise_pem(bytes: &[u8]) -> Option<String> {
    const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const END: &str = "-----END OPENSSH PRIVATE KEY-----";
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find(BEGIN)? + BEGIN.len();
    let len = text[start..].find(END)?;
    let body: String = text[start..start + len].chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if body.is_empty() || !body.is_ascii() {
        return None;
    }
    let mut out = format!("{BEGIN}\n");
    for line in body.as_bytes().chunks(70) {
        out.push_str(std::str::from_utf8(line).ok()?);
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    Some(out)
}

fn missing(program: &str, name: &str) -> anyhow::Error {
    fail(
        format!("cannot sign with {name}: {program} is not installed"),
        "install OpenSSH's ssh-keygen (e.g. apt-get install openssh-client), or set gpg.ssh.program",
    )
}

/// Would running `program` find it? (As the shell looks it up, so that a missing ssh-keygen
/// is reported before anything is written.)
fn on_path(program: &str) -> bool {
    if program.contains(std::path::MAIN_SEPARATOR) || program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(program).is_file()))
}

/// Can ssh-keygen ask for a passphrase? On a terminal, or through SSH_ASKPASS where OpenSSH
/// would use it (a display, or SSH_ASKPASS_REQUIRE=force). Without either it would read the
/// passphrase from standard input, where the data to sign is.
fn can_ask_passphrase() -> bool {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    let require = std::env::var("SSH_ASKPASS_REQUIRE").unwrap_or_default().to_ascii_lowercase();
    let askpass = require != "never" && (require == "force" || set("DISPLAY") || set("WAYLAND_DISPLAY"));
    askpass || std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").is_ok()
}

/// Just enough of the agent protocol (draft-miller-ssh-agent) to ask which keys an agent holds.
mod agent {
    /// Does the agent at SSH_AUTH_SOCK hold `key`? Err says why no agent could be asked.
    #[cfg(unix)]
    pub fn holds(key: &ssh_key::PublicKey) -> Result<bool, String> {
        use std::io::{Read, Write};
        let sock = std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty()).ok_or("SSH_AUTH_SOCK is not set")?;
        let shown = std::path::Path::new(&sock).display().to_string();
        let mut stream = std::os::unix::net::UnixStream::connect(&sock).map_err(|e| format!("{shown}: {e}"))?;
        let timeout = Some(std::time::Duration::from_secs(10));
        let _ = stream.set_read_timeout(timeout);
        let _ = stream.set_write_timeout(timeout);
        // SSH_AGENTC_REQUEST_IDENTITIES (11), framed by its length.
        let io = |e: std::io::Error| format!("{shown}: {e}");
        stream.write_all(&[0, 0, 0, 1, 11]).map_err(io)?;
        let mut len = [0u8; 4];
        stream.read_exact(&mut len).map_err(io)?;
        let len = u32::from_be_bytes(len) as usize;
        if len > 1 << 20 {
            return Err(format!("{shown}: the agent's answer is too long"));
        }
        let mut body = vec![0u8; len];
        stream.read_exact(&mut body).map_err(io)?;
        // SSH_AGENT_IDENTITIES_ANSWER (12): a count, then for each key its blob and a comment.
        let mut r = &body[..];
        if take(&mut r, 1) != Some(&[12][..]) {
            return Err(format!("{shown}: the agent would not list its keys"));
        }
        let bad = || format!("{shown}: the agent's answer is malformed");
        let count = take_u32(&mut r).ok_or_else(bad)?;
        for _ in 0..count {
            let blob = take_string(&mut r).ok_or_else(bad)?;
            take_string(&mut r).ok_or_else(bad)?;
            if ssh_key::PublicKey::from_bytes(blob).is_ok_and(|k| k.key_data() == key.key_data()) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    #[cfg(not(unix))]
    pub fn holds(_: &ssh_key::PublicKey) -> Result<bool, String> {
        Err("tribune reaches ssh-agent on Unix only".into())
    }

    #[cfg(unix)]
    fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, tail) = r.split_at_checked(n)?;
        *r = tail;
        Some(head)
    }
    #[cfg(unix)]
    fn take_u32(r: &mut &[u8]) -> Option<u32> {
        Some(u32::from_be_bytes(take(r, 4)?.try_into().ok()?))
    }
    #[cfg(unix)]
    fn take_string<'a>(r: &mut &'a [u8]) -> Option<&'a [u8]> {
        let n = take_u32(r)? as usize;
        take(r, n)
    }
}

/// The signing key to use: `--key FILE`, else git's `user.signingkey` when `gpg.format` is
/// `ssh`: a key file (a `.pub` path means the key in the agent or the private key beside it)
/// or a key held by ssh-agent, written `key::ssh-ed25519 AAAA…` (or, as older git allowed,
/// `ssh-ed25519 AAAA…`). Keys tribune cannot read sign through git's `gpg.ssh.program`
/// (default ssh-keygen). None when neither is set.
pub fn configured(repo: &crate::git::Repo, key: Option<&Path>) -> Result<Option<Signer>> {
    configured_with(&|k| repo.config_string(k), key)
}

/// [`configured`] with git's configuration outside any repository (before one exists).
pub fn configured_outside(key: Option<&Path>) -> Result<Option<Signer>> {
    configured_with(&crate::git::Repo::default_config_string, key)
}

fn configured_with(config: &dyn Fn(&str) -> Option<String>, key: Option<&Path>) -> Result<Option<Signer>> {
    let program = config("gpg.ssh.program").filter(|p| !p.is_empty());
    let program = program.as_deref().unwrap_or(SSH_KEYGEN);
    if let Some(k) = key {
        return Signer::load(k, program).map(Some);
    }
    if config("gpg.format").as_deref() != Some("ssh") {
        return Ok(None);
    }
    let Some(mut path) = config("user.signingkey") else { return Ok(None) };
    if let Some(literal) = path.strip_prefix("key::") {
        return Signer::literal(literal, program).map(Some);
    }
    if path.starts_with("ssh-") {
        return Signer::literal(&path, program).map(Some);
    }
    if let Some(rest) = path.strip_prefix("~/") {
        path = format!("{}/{rest}", std::env::var("HOME").unwrap_or_default());
    }
    Signer::load(&PathBuf::from(path), program).map(Some)
}

/// What a signature says of who wrote something.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Signed by one of the registered keys.
    Verified,
    /// Not signed, and no key is registered for the writer: nothing to check against.
    Unsigned,
    /// A key is registered, and the signature is missing, broken or made by another key.
    Forged,
}

/// Checks `signature` (armored SSHSIG, if any) over `data` against `keys`.
pub fn verify(signature: Option<&[u8]>, data: &[u8], keys: &[String]) -> (Verdict, String) {
    match (signature, keys.is_empty()) {
        (None, true) => (Verdict::Unsigned, "not signed; no key is registered".into()),
        (None, false) => (Verdict::Forged, "not signed, though a key is registered".into()),
        (Some(sig), _) => {
            let Ok(sig) = ssh_key::SshSig::from_pem(sig) else {
                return (
                    if keys.is_empty() { Verdict::Unsigned } else { Verdict::Forged },
                    "the signature is not an SSH signature".into(),
                );
            };
            for k in keys {
                if let Ok(public) = ssh_key::PublicKey::from_openssh(k) {
                    if public.verify(NAMESPACE, data, &sig).is_ok() {
                        return (Verdict::Verified, "signed by a registered key".into());
                    }
                }
            }
            if keys.is_empty() {
                (Verdict::Unsigned, "signed, but no key is registered to check it against".into())
            } else {
                (Verdict::Forged, "signed by a key that is not registered".into())
            }
        }
    }
}

pub mod keyring;

/// Reads a public key file: a regular file (a FIFO or a device would block the read).
pub fn read_key_file(path: &Path) -> Result<String> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(fail(
            format!("the key file {} is not a regular file", path.display()),
            "give the .pub file of an SSH key, e.g. ~/.ssh/id_ed25519.pub",
        ));
    }
    anyhow::Context::with_context(std::fs::read_to_string(path), || {
        format!("could not read the key file {}", path.display())
    })
}

#[cfg(test)]
mod tests;
