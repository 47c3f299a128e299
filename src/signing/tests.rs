use super::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any width, any line ending, stray blanks: the same key, as OpenSSH reads it.
    #[test]
    fn a_private_key_reads_whatever_its_wrapping(width in 1usize..200, crlf: bool, indent in "[ \t]{0,2}") {
        let key = crate::signing::keyring::derived_key("wrap");
        let pem = key.to_openssh(ssh_key::LineEnding::LF).unwrap();
        let lines: Vec<&str> = pem.lines().collect();
        let body: String = lines[1..lines.len() - 1].concat();
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("{}{eol}", lines[0]);
        for chunk in body.as_bytes().chunks(width) {
            text.push_str(&format!("{indent}{}{eol}", std::str::from_utf8(chunk).unwrap()));
        }
        text.push_str(&format!("{}{eol}", lines[lines.len() - 1]));
        let read = private_key(text.as_bytes()).expect("the key reads");
        prop_assert_eq!(read.public_key().key_data(), key.public_key().key_data());
    }

    #[test]
    fn anything_else_is_refused_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut text = b"-----BEGIN OPENSSH PRIVATE KEY-----\n".to_vec();
        text.extend_from_slice(&bytes);
        text.extend_from_slice(b"\n-----END OPENSSH PRIVATE KEY-----\n");
        let _ = private_key(&text);
        let _ = private_key(&bytes);
    }
}
