//! The command line: every flag's `///` doc is its `--help`, man page and completion text.

use crate::commands;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub mod manual;

/// The heading of the options every command takes, listed after a command's own (as jj and
/// cargo do), not interleaved with them.
const GLOBAL: &str = "Global options";

/// A common article database for a network of groups, kept in git.
///
/// Contingents share one public-domain database of articles: anyone contributes, anyone
/// rewrites, anyone rates, and nothing goes out in the name of the whole organisation
/// without a supermajority vote. Everything is an ordinary git object that plain `git`
/// can show, verify and sync.
#[derive(Debug, Parser)]
#[command(name = "tribune", version, propagate_version = true, max_term_width = HELP_WIDTH)]
pub struct Cli {
    /// Run as if tribune was started in DIR instead of the current directory.
    #[arg(short = 'C', long = "directory", value_name = "DIR", global = true, help_heading = GLOBAL)]
    pub directory: Option<PathBuf>,

    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,

    /// Do not send output through a pager. Without it, `show`, `log`, `diff`, `list`,
    /// `ratings` and `tally --all` page their output on a terminal, as git does: through
    /// GIT_PAGER, else the repository's core.pager, else PAGER, else `less` (with LESS=FRX
    /// unless LESS is set); an empty pager or `cat` means none.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(commands::init::Args),
    Roster(commands::roster::Args),
    Contribute(commands::contribute::Args),
    List(commands::list::Args),
    Show(commands::show::Args),
    Log(commands::log::Args),
    Rewrite(commands::rewrite::Args),
    Versions(commands::versions::Args),
    Diff(commands::diff::Args),
    Update(commands::update::Args),
    Rate(commands::rate::Args),
    Ratings(commands::ratings::Args),
    Filter(commands::filter::Args),
    Why(commands::why::Args),
    Propose(commands::propose::Args),
    Vote(commands::vote::Args),
    Tally(commands::tally::Args),
    Approve(commands::approve::Args),
    Verify(commands::verify::Args),
    Audit(commands::audit::Args),
    Found(commands::found::Args),
    Hook(commands::hook::Args),
    Statements(commands::statements::Args),
    AllowedSigners(commands::allowed_signers::Args),
    Sync(commands::sync::Args),
    Clone(commands::clone::Args),
    Credits(commands::credits::Args),
    Export(commands::export::Args),
    Site(commands::site::Args),
    CreditCheck(commands::credit_check::Args),
    Challenge(commands::challenge::Args),
    Reply(commands::reply::Args),
    Challenges(commands::challenges::Args),
    Accountability(commands::accountability::Args),
    Channel(commands::channel::Args),
    Edition(commands::edition::Args),
    Demo(commands::demo::Args),
    Completions(commands::completions::Args),
    #[command(hide = true)]
    GenerateMan(commands::man::Args),
    #[command(hide = true)]
    Synth(commands::synth::Args),
}

impl Command {
    /// Whether the command's output may be long enough to page: reading commands, as git
    /// pages `log`, `show` and `diff`.
    pub fn pages(&self) -> bool {
        match self {
            Command::Show(_) | Command::Log(_) | Command::Diff(_) | Command::List(_) | Command::Ratings(_) => true,
            Command::Tally(a) => a.all,
            _ => false,
        }
    }
}

/// The command line as `--help` and the man pages show it: the definitions above, with each
/// command's examples (`manual::PAGES`) after its options.
pub fn command() -> clap::Command {
    with_examples(Cli::command(), "")
}

fn with_examples(mut cmd: clap::Command, path: &str) -> clap::Command {
    if let Some(page) = manual::page(path) {
        let header = *cmd.get_styles().get_header();
        cmd = cmd.after_long_help(manual::examples_help(page, &header));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub_path = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(name, |sub| with_examples(sub, &sub_path));
    }
    cmd
}

/// The help wrapped to the terminal's width (at most [`HELP_WIDTH`]), told to clap rather
/// than left to its own detection (see [`crate::output::help_width`]).
fn fit_help(cmd: clap::Command) -> clap::Command {
    match crate::output::help_width() {
        Some(w) => cmd.term_width(w.min(HELP_WIDTH)),
        None => cmd,
    }
}

/// The widest `--help` is wrapped to, however wide the terminal: longer lines read badly.
const HELP_WIDTH: usize = 100;

impl Cli {
    /// Parses the process's arguments against [`command`], exiting as clap does on an error.
    pub fn parse_with_examples() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        // The examples are only ever shown by help: the other runs do without writing them
        // (a tenth of the start-up of a command as short as `show`).
        let asks_help = std::env::args_os().skip(1).any(|a| a == "-h" || a == "--help" || a == "help");
        let cmd = if asks_help { fit_help(command()) } else { Cli::command() };
        Cli::from_arg_matches(&cmd.get_matches()).unwrap_or_else(|e| e.exit())
    }

    pub fn dir(&self) -> PathBuf {
        self.directory.clone().unwrap_or_else(|| PathBuf::from("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }
}
