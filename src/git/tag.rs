//! Annotated tags written and read byte for byte, so that an SSH signature sits exactly
//! where `git tag -v` looks for it: after the message's final newline.

use super::{Identity, Oid, Repo};
use anyhow::{Context, Result};

/// The line that opens an armored SSH signature.
const SSH_SIGNATURE_START: &str = "-----BEGIN SSH SIGNATURE-----";

/// Turns the bytes to sign into an armored signature.
pub type Sign<'a> = &'a dyn Fn(&[u8]) -> Result<String>;

/// An annotated tag as stored.
#[derive(Debug, Clone)]
pub struct TagInfo {
    pub id: Oid,
    pub target: Oid,
    /// `commit`, `tree`, `blob` or `tag`.
    pub target_kind: String,
    pub name: String,
    pub tagger: Option<Identity>,
    /// The message without the signature.
    pub message: String,
    /// The armored signature, if any, and the bytes it signs (the tag without it).
    pub signature: Option<(Vec<u8>, Vec<u8>)>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

impl Identity {
    /// `Name <email> seconds +hhmm`, as in a commit or tag header.
    pub fn to_header(&self) -> String {
        let off = self.when.offset_minutes;
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.abs();
        format!("{} <{}> {} {sign}{:02}{:02}", self.name, self.email, self.when.seconds, off / 60, off % 60)
    }

    fn from_header(s: &str) -> Option<Identity> {
        let (name, rest) = s.split_once('<')?;
        let name = name.trim_end();
        let (email, rest) = rest.split_once("> ")?;
        let when = super::parse_git_date(rest)?;
        Some(Identity { name: name.to_string(), email: email.to_string(), when })
    }
}

impl Repo {
    /// Writes an annotated tag object naming `target` (a commit), signed by `sign` when
    /// given. No ref moves.
    pub fn write_tag(
        &self,
        target: Oid,
        name: &str,
        tagger: &Identity,
        message: &str,
        sign: Option<Sign<'_>>,
    ) -> Result<Oid> {
        let mut message = message.to_string();
        if !message.ends_with('\n') {
            message.push('\n');
        }
        let mut bytes = format!("object {target}\ntype commit\ntag {name}\ntagger {}\n\n{message}", tagger.to_header())
            .into_bytes();
        if let Some(sign) = sign {
            let signature = sign(&bytes)?;
            bytes.extend_from_slice(signature.trim_end().as_bytes());
            bytes.push(b'\n');
        }
        let odb = self.raw().odb().context("could not open the object database")?;
        let id = odb.write(git2::ObjectType::Tag, &bytes).context("could not write a tag")?;
        Ok(Oid(id))
    }

    /// Reads an annotated tag; None when `id` is not a tag object.
    pub fn read_tag(&self, id: Oid) -> Result<Option<TagInfo>> {
        let odb = self.raw().odb().context("could not open the object database")?;
        let object = odb.read(id.0).with_context(|| format!("could not read object {id}"))?;
        if object.kind() != git2::ObjectType::Tag {
            return Ok(None);
        }
        let data = object.data();
        // Split on the raw bytes (the signature covers exactly them); decode text lossily, so
        // that a tag that is not UTF-8 is reported, not fatal.
        let body_at = find(data, b"\n\n").map(|i| i + 2).unwrap_or(data.len());
        let header = String::from_utf8_lossy(&data[..body_at]);
        let body = &data[body_at..];
        let mut info = TagInfo {
            id,
            target: Oid::zero(),
            target_kind: String::new(),
            name: String::new(),
            tagger: None,
            message: String::from_utf8_lossy(body).into_owned(),
            signature: None,
        };
        for line in header.lines() {
            match line.split_once(' ') {
                Some(("object", v)) => info.target = v.parse().with_context(|| format!("tag {id}: bad object line"))?,
                Some(("type", v)) => info.target_kind = v.to_string(),
                Some(("tag", v)) => info.name = v.to_string(),
                Some(("tagger", v)) => info.tagger = Identity::from_header(v),
                _ => {}
            }
        }
        // As git does: the signature starts at the last line that opens one.
        let marker = SSH_SIGNATURE_START.as_bytes();
        let start = if body.starts_with(marker) {
            Some(0)
        } else {
            rfind(body, &[b"\n".as_slice(), marker].concat()).map(|i| i + 1)
        };
        if let Some(start) = start {
            let at = body_at + start;
            info.message = String::from_utf8_lossy(&body[..start]).into_owned();
            info.signature = Some((data[at..].to_vec(), data[..at].to_vec()));
        }
        Ok(Some(info))
    }
}
