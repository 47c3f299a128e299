//! Article selectors on the command line: `SLUG` or `SLUG@VERSION` (a contingent, `trunk`,
//! or a version id).

use super::id;
use anyhow::Result;

/// Splits `SLUG@VERSION`.
pub fn split_selector(s: &str) -> Result<(&str, Option<&str>)> {
    let (slug, version) = match s.split_once('@') {
        Some((a, v)) => (a, Some(v)),
        None => (s, None),
    };
    id::validate("slug", slug)?;
    Ok((slug, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_is_a_slug_and_an_optional_version() {
        assert_eq!(split_selector("port-blockade").unwrap(), ("port-blockade", None));
        assert_eq!(split_selector("port-blockade@xyz").unwrap(), ("port-blockade", Some("xyz")));
        assert!(split_selector("Port Blockade@xyz").is_err());
    }
}
