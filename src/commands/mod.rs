//! One file per subcommand: an `Args` struct (its flags) and a `run` function.

pub mod accountability;
mod acting;
pub mod allowed_signers;
pub mod approve;
pub mod audit;
pub mod challenge;
pub mod challenges;
pub mod channel;
pub mod clone;
pub mod completions;
pub mod contribute;
pub mod credit_check;
pub mod credits;
pub mod demo;
pub mod diff;
pub mod edition;
mod editor;
pub mod export;
pub mod filter;
pub mod found;
pub mod hook;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod propose;
pub mod rate;
pub mod ratings;
pub mod reply;
pub mod rewrite;
pub mod roster;
pub mod show;
pub mod site;
pub mod statements;
pub mod sync;
pub mod synth;
pub mod tally;
pub mod update;
pub mod verify;
pub mod versions;
pub mod vote;
pub mod why;

use crate::cli::{Cli, Command};
use crate::output::Style;
use anyhow::Result;
use std::path::PathBuf;

/// What every command gets besides its own flags.
pub struct Ctx {
    pub dir: PathBuf,
    pub style: Style,
}

impl Ctx {
    pub fn open(&self) -> Result<crate::commons::Commons> {
        crate::commons::Commons::open(&self.dir)
    }
}

pub fn run(cli: Cli) -> Result<()> {
    crate::git::Repo::configure_process();
    if let Some(d) = &cli.directory {
        crate::output::here::set_directory(d);
    }
    let ctx = Ctx { dir: cli.dir(), style: Style::detect(cli.color) };
    crate::output::progress::install_on_terminal();
    // Only on a terminal: a pipe or a file gets the output as it is.
    if ctx.style.tty && !cli.no_pager && cli.command.pages() {
        if let Some(pager) = crate::output::pager::choose(|| core_pager(&ctx.dir)) {
            crate::output::pager::page_through(pager);
        }
    }
    let result = dispatch(&ctx, cli.command);
    crate::output::pager::finish();
    result
}

/// The repository's `core.pager`, if the directory is in a repository that sets it.
fn core_pager(dir: &std::path::Path) -> Option<String> {
    match crate::git::Repo::discover(dir) {
        Ok(crate::git::Discovery::Found(repo)) => repo.config_string("core.pager"),
        _ => None,
    }
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init(a) => init::run(ctx, a),
        Command::Roster(a) => roster::run(ctx, a),
        Command::Contribute(a) => contribute::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Log(a) => log::run(ctx, a),
        Command::Rewrite(a) => rewrite::run(ctx, a),
        Command::Versions(a) => versions::run(ctx, a),
        Command::Diff(a) => diff::run(ctx, a),
        Command::Update(a) => update::run(ctx, a),
        Command::Rate(a) => rate::run(ctx, a),
        Command::Ratings(a) => ratings::run(ctx, a),
        Command::Filter(a) => filter::run(ctx, a),
        Command::Why(a) => why::run(ctx, a),
        Command::Propose(a) => propose::run(ctx, a),
        Command::Vote(a) => vote::run(ctx, a),
        Command::Tally(a) => tally::run(ctx, a),
        Command::Approve(a) => approve::run(ctx, a),
        Command::Verify(a) => verify::run(ctx, a),
        Command::Audit(a) => audit::run(ctx, a),
        Command::Found(a) => found::run(ctx, a),
        Command::Hook(a) => hook::run(ctx, a),
        Command::Statements(a) => statements::run(ctx, a),
        Command::AllowedSigners(a) => allowed_signers::run(ctx, a),
        Command::Sync(a) => sync::run(ctx, a),
        Command::Clone(a) => clone::run(ctx, a),
        Command::Credits(a) => credits::run(ctx, a),
        Command::Export(a) => export::run(ctx, a),
        Command::Site(a) => site::run(ctx, a),
        Command::CreditCheck(a) => credit_check::run(ctx, a),
        Command::Challenge(a) => challenge::run(ctx, a),
        Command::Reply(a) => reply::run(ctx, a),
        Command::Challenges(a) => challenges::run(ctx, a),
        Command::Accountability(a) => accountability::run(ctx, a),
        Command::Channel(a) => channel::run(ctx, a),
        Command::Edition(a) => edition::run(ctx, a),
        Command::Demo(a) => demo::run(ctx, a),
        Command::Completions(a) => completions::run(a),
        Command::GenerateMan(a) => man::run(a),
        Command::Synth(a) => synth::run(ctx, a),
    }
}
