//! A commit as tribune reads it, and the trailers of a message.

use super::{Identity, Oid};

/// A commit, as the domain needs it.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub author: Identity,
    pub committer: Identity,
    pub message: String,
}

impl CommitInfo {
    /// The value of the last `Key: value` trailer with this key, if any.
    pub fn trailer(&self, key: &str) -> Option<&str> {
        trailers(&self.message).into_iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
    }
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// The `Key: value` lines of a message's last paragraph (LF or CRLF line ends), as
/// tribune-format(5) defines trailers: every line of that paragraph, or none.
///
/// Not libgit2's parser (`git2::message_trailers_strs`, git's `interpret-trailers` rules),
/// on purpose; `libgit2_reads_trailers_differently` in the tests pins each difference:
/// - it ends the message at the first line that is `---` (a patch divider), so a ballot
///   whose comment holds a Markdown rule would lose its trailers and stop counting;
/// - it keeps the `\r` of CRLF lines in the values (a `Tribune-Proposal` id then fails to
///   parse);
/// - it reads a paragraph that mixes prose and trailers as trailers when one line is
///   `Signed-off-by`, and a line such as `https://…` as a trailer `https`.
///
/// On the messages tribune writes (`commons::message`; ballots have the same shape) both agree.
pub fn trailers(message: &str) -> Vec<(&str, &str)> {
    let lines: Vec<&str> = message.lines().collect();
    let Some(end) = lines.iter().rposition(|l| !l.trim().is_empty()).map(|i| i + 1) else {
        return Vec::new();
    };
    let Some(start) = lines[..end].iter().rposition(|l| l.trim().is_empty()).map(|i| i + 1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in &lines[start..end] {
        match line.split_once(": ") {
            Some((k, v)) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                out.push((k, v.trim()))
            }
            _ => return Vec::new(),
        }
    }
    out
}
