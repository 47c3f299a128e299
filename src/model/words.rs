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

/// The characters of Unicode's Bidi_Control property: marks (U+061C, U+200E, U+200F),
/// embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). Invisible, they
/// reorder the text around them: a title holding an override reverses what follows it.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): what reorders
/// the text after it up to the end of its paragraph (the marks only tip one neutral).
pub fn reorders(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A size for people: "512 bytes", "12.5 KB", "3.0 MB" (powers of 1,000, as files are sold).
pub fn bytes(n: u64) -> String {
    match n {
        0..=999 => count(n, "byte", "bytes"),
        1_000..=999_999 => format!("{:.1} KB", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
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
        assert_eq!((bytes(1), bytes(12_500), bytes(3_000_000)), ("1 byte".into(), "12.5 KB".into(), "3.0 MB".into()));
    }
}
