//! Governance: the organisation's rules and who may change what (DESIGN.md, "Governance").
//! One judgement, here, serves propose, tally, approve and verify.

pub mod rules;
