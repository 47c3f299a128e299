//! The domain: what a commons holds, independent of how git stores it.

pub mod article;
pub mod batch;
pub mod channel;
pub mod config;
pub mod filter;
pub mod id;
pub mod media;
pub mod rating;
pub mod roster;
pub mod selector;
pub mod statement;
pub mod time;
pub mod vote;
pub mod words;

/// The 1-based line of `text` where a TOML error starts.
pub fn toml_error_line(text: &str, e: &toml::de::Error) -> usize {
    e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1).unwrap_or(1)
}

/// Where things live on the trunk (DESIGN.md, "Repository layout").
pub mod layout {
    pub const CONFIG: &str = "tribune.toml";
    pub const CONTINGENTS: &str = "roster/contingents";
    pub const MEMBERS: &str = "roster/members";
    pub const ARTICLES: &str = "articles";
    pub const STATEMENTS: &str = "statements";

    /// `<xx>/<yy>`: the first four hex digits of sha1(slug), two to a level (as git's own
    /// notes fanout does), so that no tree grows past 256 entries: a million articles make
    /// 65,536 leaf directories of about fifteen.
    pub fn shard(slug: &str) -> String {
        let digest = sha1_smol::Sha1::from(slug.as_bytes()).digest().bytes();
        format!("{:02x}/{:02x}", digest[0], digest[1])
    }
    pub fn article_dir(slug: &str) -> String {
        format!("{ARTICLES}/{}/{slug}", shard(slug))
    }
    pub fn article_text(slug: &str) -> String {
        format!("{}/index.md", article_dir(slug))
    }
    /// `statements/<slug>/index.md`: statements are few, so they are not sharded.
    pub fn statement_text(slug: &str) -> String {
        format!("{STATEMENTS}/{slug}/index.md")
    }
    pub fn contingent(id: &str) -> String {
        format!("{CONTINGENTS}/{id}.toml")
    }
    pub fn member(id: &str) -> String {
        format!("{MEMBERS}/{id}.toml")
    }
}
