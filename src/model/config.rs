//! `tribune.toml`: the organisation's name, its trunk branch and its defaults.

use crate::error::UserError;
use serde::{Deserialize, Serialize};

pub const DEFAULT_DIMENSIONS: [&str; 3] = ["politics", "newsworthy", "accuracy"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Config {
    /// Version of the on-disk format this commons was written with.
    pub format: u32,
    /// The organisation's name, used in signatures ("… contingent of <name>").
    pub name: String,
    /// The trunk branch.
    pub trunk: String,
    pub voting: Voting,
    pub ratings: Ratings,
    /// The language the commons writes in by default (a BCP 47 tag, such as `fr`): what
    /// an exported page declares when the text does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Voting {
    /// Fraction of votes needed to pass, as "p/q".
    pub threshold: String,
    /// `cast` (of yes and no votes) or `members` (of the whole electorate).
    pub basis: String,
    /// Fraction of the electorate that must cast a ballot.
    pub quorum: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ratings {
    pub dimensions: Vec<String>,
}

impl Config {
    pub fn new(name: &str, trunk: &str) -> Config {
        Config {
            format: 1,
            name: name.to_string(),
            trunk: trunk.to_string(),
            voting: Voting { threshold: "2/3".into(), basis: "cast".into(), quorum: "1/2".into() },
            ratings: Ratings { dimensions: DEFAULT_DIMENSIONS.iter().map(|s| s.to_string()).collect() },
            lang: None,
        }
    }

    pub fn parse(text: &str) -> Result<Config, UserError> {
        toml::from_str(text).map_err(|e| {
            let line = super::toml_error_line(text, &e);
            UserError::with_hint(
                format!("tribune.toml:{line}: {} (on the trunk)", e.message().trim()),
                "fix tribune.toml with a commit on the trunk; `man 5 tribune-format` describes it",
            )
        })
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# The commons of {}: see `man 5 tribune-format`.\n{body}", self.name)
    }
}
