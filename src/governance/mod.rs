//! Governance: the organisation's rules, who may change the roster and the rules, and
//! whether they did (DESIGN.md, "Governance"). One judgement, here, serves propose, tally,
//! approve, verify, audit, the roster commands and the hub's hook: `rules` for the floors a
//! statement must meet, `authority` for the chain of signatures from the signed root,
//! `texts` for who may change an article, a challenge, a reply or a shared filter, `acts` for acts in a contingent's name,
//! `enact` for what an approved statement authorises, `audit` for the history judged and
//! cached, `hook` for a push judged at the hub.

pub mod acts;
pub mod audit;
pub mod authority;
pub mod enact;
pub mod hook;
pub mod rules;
pub mod texts;
