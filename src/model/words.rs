//! Words for ids and counts, shared by the domain's messages and the presentation.

/// The first `n` characters of an id, however short or odd the stored text is.
pub fn short(id: &str, n: usize) -> &str {
    id.get(..n).unwrap_or(id)
}

/// "1 member", "3 members": a count with its noun.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun_and_ids_never_panic() {
        assert_eq!(count(1u64, "member", "members"), "1 member");
        assert_eq!(count(0u64, "member", "members"), "0 members");
        assert_eq!(short("abcdef", 3), "abc");
        assert_eq!(short("ab", 10), "ab");
        assert_eq!(short("é", 1), "é");
    }
}
