//! The `tribune` binary: parse the command line, run it, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tribune::cli::Cli::parse_with_examples();
    let result = tribune::commands::run(cli);
    tribune::output::events::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, hint) = tribune::error::classify(&err);
            if code != 0 {
                // Messages quote the data: never let it speak to the terminal.
                let here = tribune::output::here::here;
                eprintln!("error: {}", tribune::output::clean_text(&here(&format!("{err:#}"))));
                if let Some(hint) = hint {
                    eprintln!("hint: {}", tribune::output::clean_text(&here(&hint)));
                }
            }
            ExitCode::from(code as u8)
        }
    }
}
