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
pub mod channels;
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
pub mod site;
pub mod statements;
pub mod sync;
pub mod versions;
