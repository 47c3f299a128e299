//! Key files written by other tools: every OpenSSH private key file ssh-keygen reads signs,
//! whatever the width of its base64 lines or its line endings.

use crate::harness::*;

const SLUG: &str = "port-blockade";

/// The key file at `path` with its base64 body wrapped at `width` columns and its lines
/// ended by `eol` (Python's `cryptography` writes 76 columns; ssh-keygen writes 70).
fn rewrap(path: &str, width: usize, eol: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (begin, end) = (lines[0], lines[lines.len() - 1]);
    let body: String = lines[1..lines.len() - 1].concat();
    let wrapped: Vec<String> = body.as_bytes().chunks(width).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
    let mut out = String::new();
    for l in std::iter::once(begin).chain(wrapped.iter().map(String::as_str)).chain(std::iter::once(end)) {
        out.push_str(l);
        out.push_str(eol);
    }
    out
}

#[test]
fn a_key_file_wrapped_at_76_columns_or_with_crlf_lines_signs() {
    let env = Env::new();
    let (key, public) = keypair(&env, "erin");
    let c = env.commons_with_article(SLUG);
    add_keyed_member(&env, &c, "erin", "abc", &public).ok();

    for (name, width, eol) in [("k76", 76, "\n"), ("k76crlf", 76, "\r\n"), ("k64crlf", 64, "\r\n")] {
        let file = env.write(&format!("keys/{name}"), rewrap(&key, width, eol));
        if eol == "\n" {
            // ssh-keygen reads it: so must tribune.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
            let mut cmd = std::process::Command::new("ssh-keygen");
            cmd.args(["-y", "-f", &file]);
            let read = env.run_command(cmd).ok().stdout;
            assert_eq!(read.split(' ').take(2).collect::<Vec<_>>(), public.split(' ').take(2).collect::<Vec<_>>());
        }
        let r = env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "erin", "--key", &file]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let v = verify_erins_notes(&env, &c, &public);
        assert!(
            v.code == 0 && v.stderr.contains("Good \"git\" signature for erin@example.org"),
            "{name}: {}",
            v.stderr
        );
        let j = env.tribune(&["-C", &c, "ratings", SLUG, "--json"]).ok().json();
        assert_eq!(j["ratings"][0]["signature"], "verified", "{name}: {j}");
    }
    env.fsck(&c);
}
