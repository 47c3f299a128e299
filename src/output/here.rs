//! Commands that a message suggests, as the reader can paste them: when tribune was run with
//! `-C DIR`, a suggested `tribune …` runs in DIR too.

use std::sync::OnceLock;

static DIRECTORY: OnceLock<String> = OnceLock::new();

/// Remembers the `-C DIR` this run was given (as typed), for [`here`].
pub fn set_directory(dir: &std::path::Path) {
    let d = dir.to_string_lossy();
    let quoted = if !d.is_empty() && d.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:@".contains(c)) {
        d.into_owned()
    } else {
        format!("'{}'", d.replace('\'', r"'\''"))
    };
    let _ = DIRECTORY.set(quoted);
}

/// `text` with `-C DIR` added to each suggested `` `tribune …` `` command, when this run
/// was given one: except `init`, `clone` and `demo` (whose DIR is their own argument) and a
/// suggestion that names a directory already.
pub fn here(text: &str) -> String {
    match DIRECTORY.get() {
        Some(dir) => with_directory(text, dir),
        None => text.to_string(),
    }
}

fn with_directory(text: &str, dir: &str) -> String {
    const CALL: &str = "`tribune ";
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(CALL) {
        let (before, after) = rest.split_at(i + CALL.len());
        out.push_str(before);
        let word = after.split([' ', '`']).next().unwrap_or("");
        // `hook` runs on the hub, which a hint names itself (`tribune hook install HUB`).
        if !matches!(word, "init" | "clone" | "demo" | "hook" | "-C" | "--directory" | "help" | "completions") {
            out.push_str("-C ");
            out.push_str(dir);
            out.push(' ');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::with_directory;

    #[test]
    fn suggested_commands_run_where_this_one_did() {
        assert_eq!(
            with_directory("see `tribune tally s` and `tribune init DIR`", "commons"),
            "see `tribune -C commons tally s` and `tribune init DIR`"
        );
        assert_eq!(with_directory("`tribune -C x sync`", "c"), "`tribune -C x sync`");
        assert_eq!(with_directory("no command here", "c"), "no command here");
        assert_eq!(with_directory("`tribune hook install HUB`", "c"), "`tribune hook install HUB`");
        assert_eq!(with_directory("run `tribune sync`", "'a b'"), "run `tribune -C 'a b' sync`");
    }
}
