//! What the commands about acts share: the flag every command that acts takes (the key
//! its commit is signed with), and how an act's standing is shown in a table.

use crate::governance::acts::Standing;
use crate::output::{Cell, Tone};
use std::path::PathBuf;

/// `--key FILE`: the key an act is signed with.
#[derive(Debug, Clone, clap::Args)]
pub struct SignWith {
    /// Sign the commit with this key: an OpenSSH private key file, or the .pub file of a key
    /// held by ssh-agent (default: git's user.signingkey with gpg.format=ssh). In a founded
    /// commons an act in a contingent's name must be signed by a member of that contingent.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

/// A standing as a table cell, coloured: verified green, unsigned yellow, unauthorised red.
pub fn standing_cell(s: &Standing) -> Cell {
    let tone = match s {
        Standing::Verified => Tone::Green,
        Standing::Unsigned => Tone::Yellow,
        Standing::Unauthorised => Tone::Red,
    };
    Cell::toned(s.name(), tone)
}
