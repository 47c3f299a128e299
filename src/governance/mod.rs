//! Governance: the organisation's rules, who may change the roster and the rules, and
//! whether they did (DESIGN.md, "Governance"). One judgement, here, serves propose, tally,
//! approve, verify, audit and the roster commands: `rules` for the floors a statement must
//! meet, `authority` for the chain of signatures from the signed root, `audit` for the
//! history judged and cached.

pub mod articles;
pub mod audit;
pub mod authority;
pub mod hook;
pub mod rules;
