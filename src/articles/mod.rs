//! Articles: contributing them to the trunk.

pub mod contribute;
pub mod history;
