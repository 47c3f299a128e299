//! `--help` fits the terminal: every command's, on 80 columns, whether the width comes from
//! COLUMNS or from a terminal (one that reports no rows too, as a fresh pseudo-terminal does).

use crate::harness::*;

/// Every command as typed after `tribune` ("" for the top, "roster add-member"), from the
/// Commands: section of each help.
fn commands(env: &Env) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![String::new()];
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.split_whitespace().collect();
        args.push("--help");
        let help = env.tribune(&args).ok().stdout;
        let mut inside = false;
        for line in help.lines() {
            if line == "Commands:" {
                inside = true;
            } else if !line.starts_with(' ') {
                inside = false;
            } else if inside {
                let name = line.split_whitespace().next().unwrap_or("");
                if line.starts_with("  ") && !line.starts_with("   ") && name != "help" {
                    todo.push(format!("{path} {name}").trim().to_string());
                }
            }
        }
        out.push(path);
    }
    out.sort();
    out
}

/// The lines of `text` (terminal escapes taken out) wider than `cols` characters.
fn too_wide(text: &str, cols: usize) -> Vec<String> {
    let plain = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    for line in plain.lines() {
        let mut shown = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                shown.push(c);
            }
        }
        if shown.chars().count() > cols {
            out.push(format!("{} columns: {shown}", shown.chars().count()));
        }
    }
    out
}

#[test]
fn every_help_fits_80_columns_from_columns_or_the_terminal() {
    let env = Env::new();
    let all = commands(&env);
    assert!(all.len() > 50 && all.contains(&"site build".to_string()), "{all:?}");
    let bin = shell_quote(&binary().to_string_lossy());
    let mut wide = Vec::new();
    for c in &all {
        let mut args: Vec<&str> = c.split_whitespace().collect();
        args.push("--help");
        // COLUMNS, no terminal.
        let mut cmd = std::process::Command::new("env");
        cmd.arg("COLUMNS=80").arg(binary()).args(&args);
        let r = env.run_command(cmd);
        assert_eq!(r.code, 0, "{c}: {}", r.stderr);
        wide.extend(too_wide(&r.stdout, 80).into_iter().map(|l| format!("COLUMNS=80 tribune {c} --help: {l}")));
        // A terminal 80 columns wide that reports no rows (`script` with no terminal of its own).
        let line = format!("stty cols 80 && exec {bin} {c} --help");
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &line, "/dev/null"]).stdin(std::process::Stdio::null());
        let r = env.run_command(cmd);
        assert_eq!(r.code, 0, "{c}: {}{}", r.stdout, r.stderr);
        wide.extend(too_wide(&r.stdout, 80).into_iter().map(|l| format!("tty: tribune {c} --help: {l}")));
    }
    // And a wide terminal: wrapped at 100, no wider.
    let r = on_terminal(&env, 200, "", &["site", "build", "--help"]);
    assert!(too_wide(&r.stdout, 100).is_empty() && !too_wide(&r.stdout, 90).is_empty(), "{}", r.stdout);
    assert!(wide.is_empty(), "{} lines wider than 80:\n{}", wide.len(), wide.join("\n"));
}
