//! tribune: a common article database for a network of groups, kept in git.
//!
//! Layers, data flowing one way: [`cli`] and [`commands`] (one file per subcommand) call
//! the domain ([`model`], [`commons`], [`index`]), which stores everything through
//! [`git`], the only module that names libgit2.

pub mod challenges;
pub mod cli;
pub mod commands;
pub mod commons;
pub mod creditcheck;
pub mod credits;
pub mod editor;
pub mod error;
pub mod export;
pub mod git;
pub mod history;
pub mod index;
pub mod keyring;
pub mod model;
pub mod output;
pub mod progress;
pub mod provenance;
pub mod ratings;
pub mod signing;
pub mod statements;
pub mod sync;
pub mod textdiff;
pub mod versions;
