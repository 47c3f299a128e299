//! Governance: who may change the roster and the rules, and whether they did. One
//! judgement (`authority`) serves audit, the tally's electorate and the roster commands.

pub mod acts;
pub mod audit;
pub mod authority;
