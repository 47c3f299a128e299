//! tribune: a common article database for a network of groups, kept in git.
//!
//! Layers, data flowing one way:
//! - the command line: [`cli`] and [`commands`] (one file per subcommand: parse the
//!   arguments, call the domain, hand the result to the presentation);
//! - the presentation: [`output`] (text, tables, JSON, the pager, the words of [`events`]);
//! - the domain: [`articles`], [`versions`], [`ratings`], [`governance`], [`statements`], [`credits`],
//!   [`challenges`], [`sync`], over [`commons`] (the repository, its roster and who acts),
//!   [`signing`], the derived [`index`] and the pure data of [`model`]; it returns typed
//!   results and emits [`events`], and never prints;
//! - storage: [`git`], the only module that names libgit2 or runs `git`.

pub mod articles;
pub mod challenges;
pub mod cli;
pub mod commands;
pub mod commons;
pub mod creditcheck;
pub mod credits;
pub mod error;
pub mod events;
pub mod export;
pub mod git;
pub mod governance;
pub mod index;
pub mod model;
pub mod output;
pub mod progress;
pub mod ratings;
pub mod signing;
pub mod statements;
pub mod sync;
pub mod versions;

#[cfg(test)]
mod layers {
    /// The layers above hold: no module of the domain or of storage names the command line
    /// or the presentation, or prints (tests aside).
    #[test]
    fn the_domain_never_calls_up_and_never_prints() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let above = ["commands", "cli", "output"];
        let mut files = vec![src.clone()];
        let mut broken = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for e in std::fs::read_dir(&path).unwrap() {
                    let p = e.unwrap().path();
                    let top = p.strip_prefix(&src).unwrap().components().next().unwrap();
                    let top = top.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
                    if !above.contains(&top.as_str()) && top != "main" && top != "lib" {
                        files.push(p);
                    }
                }
                continue;
            }
            let name = path.to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for m in above {
                if code.contains(&format!("crate::{m}")) {
                    broken.push(format!("{name} names crate::{m}"));
                }
            }
            for p in ["println!", "eprintln!", "print!(", "eprint!("] {
                if code.lines().any(|l| l.contains(p) && !l.trim_start().starts_with("//")) {
                    broken.push(format!("{name} uses {p}"));
                }
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
