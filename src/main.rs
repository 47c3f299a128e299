//! The `tribune` binary: parse the command line, run it, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tribune::cli::Cli::parse();
    match tribune::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, hint) = tribune::error::classify(&err);
            if code != 0 {
                eprintln!("error: {err:#}");
                if let Some(hint) = hint {
                    eprintln!("hint: {hint}");
                }
            }
            ExitCode::from(code as u8)
        }
    }
}
