//! An article's media (`[[media]]` in its front matter): captions and credits for the files
//! stored beside its text, and large files (video) kept elsewhere, named by URL and pinned
//! by their SHA-256, so that a commons need not carry gigabytes to credit and show them.

use serde::{Deserialize, Serialize};

/// The kinds a medium may declare (else guessed from its name).
pub const KINDS: [&str; 4] = ["image", "video", "audio", "document"];

/// One `[[media]]` entry: exactly one of `file` (an attachment beside the text) and `url`
/// (with `sha256`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The SHA-256 of the file at `url`, 64 lowercase hex digits: what a reader or a site
    /// checks a download against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Its size in bytes, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// image, video, audio or document.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Who made it (credited as the text's authors are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

impl Media {
    /// How a reader names it: the file's name, else the URL.
    pub fn name(&self) -> &str {
        self.file.as_deref().or(self.url.as_deref()).unwrap_or_default()
    }
}

/// The kind a file's name suggests.
pub fn kind_of(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "svg" | "avif" => "image",
        "mp4" | "webm" | "ogv" | "mov" | "mkv" => "video",
        "mp3" | "ogg" | "oga" | "opus" | "wav" | "flac" | "m4a" => "audio",
        _ => "document",
    }
}

/// Is `name` a file tribune stores beside an article's text? ASCII letters, digits, '.',
/// '-' and '_', at most 128, not hidden, not the text itself.
pub fn is_attachment_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name != "index.md"
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Reads the `media` array of a front matter (None: there is none). An error is the number
/// of the entry (from 1; 0: the array itself) and the message.
pub fn parse(v: Option<&toml::Value>) -> Result<Vec<Media>, (usize, String)> {
    let mut at = 0;
    entries(v, &mut at).map_err(|m| (at, m))
}

fn entries(v: Option<&toml::Value>, number: &mut usize) -> Result<Vec<Media>, String> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items,
        Some(_) => return Err("`media` must be an array of tables ([[media]])".into()),
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        *number = i + 1;
        let at = format!(" ([[media]] number {})", i + 1);
        let toml::Value::Table(t) = item else { return Err(format!("each media entry must be a table{at}")) };
        let text = |k: &str| -> Result<Option<String>, String> {
            match t.get(k) {
                None => Ok(None),
                Some(toml::Value::String(s))
                    if !s.trim().is_empty() && !s.chars().any(|c| c.is_control() && c != '\n') =>
                {
                    Ok(Some(s.trim().to_string()))
                }
                Some(_) => Err(format!("`{k}` must be a non-empty string of printable characters{at}")),
            }
        };
        let (file, url) = (text("file")?, text("url")?);
        let sha256 = text("sha256")?;
        let m = match (file, url) {
            (Some(f), None) => {
                if !is_attachment_name(&f) {
                    return Err(format!("`file` {f:?} is not the name of a file beside the text{at}"));
                }
                if sha256.is_some() {
                    return Err(format!("`sha256` is for a medium kept elsewhere (`url`); a `file` is in git{at}"));
                }
                Media {
                    kind: String::new(),
                    file: Some(f),
                    url: None,
                    sha256: None,
                    size: None,
                    caption: None,
                    credit: None,
                }
            }
            (None, Some(u)) => {
                let scheme_ok = u.starts_with("https://") || u.starts_with("http://");
                // Unencoded quotes and angle brackets are no part of an address (RFC 3986), and
                // would close the markup that carries it.
                let odd = u.contains(char::is_whitespace) || u.contains(['<', '>', '"', '\\', '`', '{', '}']);
                if !scheme_ok || odd || u.len() <= "https://".len() {
                    return Err(format!("`url` {u:?} is not an http(s) address{at}"));
                }
                let Some(h) = sha256 else {
                    return Err(format!(
                        "a medium kept elsewhere needs its `sha256`, so that what is shown is what was credited{at}"
                    ));
                };
                if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                    return Err(format!("`sha256` {h:?} is not 64 lowercase hex digits{at}"));
                }
                Media {
                    kind: String::new(),
                    file: None,
                    url: Some(u),
                    sha256: Some(h),
                    size: None,
                    caption: None,
                    credit: None,
                }
            }
            _ => return Err(format!("a media entry names exactly one of `file` and `url`{at}")),
        };
        let kind = match text("kind")? {
            Some(k) if KINDS.contains(&k.as_str()) => k,
            Some(k) => return Err(format!("`kind` {k:?} is none of {}{at}", KINDS.join(", "))),
            None => kind_of(m.name()).to_string(),
        };
        let size = match t.get("size") {
            None => None,
            Some(toml::Value::Integer(n)) if *n >= 0 => Some(*n as u64),
            Some(_) => return Err(format!("`size` must be a whole number of bytes{at}")),
        };
        if out.iter().any(|o: &Media| o.name() == m.name()) {
            return Err(format!("{} is named by two media entries{at}", m.name()));
        }
        out.push(Media { kind, size, caption: text("caption")?, credit: text("credit")?, ..m });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Vec<Media>, String> {
        let t: toml::Table = toml::from_str(s).unwrap();
        parse(t.get("media")).map_err(|(_, m)| m)
    }

    #[test]
    fn media_entries_are_files_or_pinned_urls() {
        let hash = "a".repeat(64);
        let m = read(&format!(
            "[[media]]\nfile = \"line3.jpg\"\ncaption = \"Line 3\"\n[[media]]\nurl = \"https://v.example.org/s.mp4\"\nsha256 = \"{hash}\"\nsize = 10\ncredit = \"R. Lopez\"\n"
        ))
        .unwrap();
        assert_eq!((m[0].kind.as_str(), m[0].caption.as_deref()), ("image", Some("Line 3")));
        assert_eq!((m[1].kind.as_str(), m[1].size, m[1].credit.as_deref()), ("video", Some(10), Some("R. Lopez")));
        for (bad, why) in [
            ("[[media]]\nurl = \"https://x.org/a.mp4\"\n", "needs its `sha256`"),
            ("[[media]]\nurl = \"javascript:alert(1)\"\nsha256 = \"aa\"\n", "not an http(s) address"),
            (&*format!("[[media]]\nurl = \"https://x.org/a\"\nsha256 = \"{}\"\n", "A".repeat(64)), "64 lowercase hex"),
            ("[[media]]\nfile = \"../index.md\"\n", "not the name of a file"),
            ("[[media]]\nfile = \"a.jpg\"\nurl = \"https://x.org\"\n", "exactly one of"),
            ("[[media]]\nfile = \"a.jpg\"\nkind = \"hologram\"\n", "none of image"),
            ("[[media]]\nfile = \"a.jpg\"\n[[media]]\nfile = \"a.jpg\"\n", "named by two"),
            ("media = \"a.jpg\"\n", "array of tables"),
        ] {
            let e = read(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
