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
                let say = |s: &str| {
                    tribune::output::fit_for_stderr(&tribune::output::clean_text(&tribune::output::here::here(s)))
                };
                // A closed stderr (a pusher gone, `2>&-`) changes no exit code, and panics nothing.
                use std::io::Write;
                let mut stderr = std::io::stderr();
                let _ = writeln!(stderr, "{}", say(&format!("error: {err:#}")));
                if let Some(hint) = hint {
                    let _ = writeln!(stderr, "{}", say(&format!("hint: {hint}")));
                }
            }
            ExitCode::from(code as u8)
        }
    }
}
