//! `tribune completions`: shell completion scripts, from the same definitions as `--help`.

use anyhow::Result;
use clap::CommandFactory;

/// Print a completion script for a shell.
///
/// For example `tribune completions bash > ~/.local/share/bash-completion/completions/tribune`,
/// or for zsh into a directory on `$fpath` as `_tribune`, or for fish into
/// `~/.config/fish/completions/tribune.fish`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<()> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "tribune", &mut out);
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(())
}
