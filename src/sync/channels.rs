//! A channel changed on two clones: merged when the two sides changed different files of
//! its tree (one picked, the other made an edition), reported when they changed the same
//! one (both picked, or both made an edition with the same number).

use super::*;

/// Merges a channel both sides changed, or reports it and leaves it as it is.
pub(super) fn merge_channel(fork: &Fork<'_>, report: &mut Report) -> Result<Option<Moved>> {
    let Fork { commons, pair, ours, theirs } = *fork;
    let repo = &commons.repo;
    let Some(id) = crate::channels::ChannelId::of_ref(&pair.local) else { return Ok(Some(Moved::default())) };
    let channel = id.to_string();
    let owner = id.owner.clone();
    let leave = |report: &mut Report, clashes: Vec<String>| {
        add_line(
            &mut report.diverged,
            Diverged::Channel {
                refname: pair.local.clone(),
                channel: channel.clone(),
                owner: owner.clone(),
                here: ours.to_string(),
                there: theirs.to_string(),
                clashes,
            },
        );
        Ok(Some(Moved::default()))
    };
    let base = repo.merge_base(ours, theirs)?.map(|b| repo.commit_tree(b)).transpose()?;
    let merge = repo.merge_trees(base, repo.commit_tree(ours)?, repo.commit_tree(theirs)?)?;
    if !merge.conflicts.is_empty() {
        return leave(report, merge.conflicts.keys().cloned().collect());
    }
    // The merge is an act in the keeper's name like any change of the channel: in a founded
    // commons git's signing key must be a member's of its contingent (the member's, of a
    // member's channel), else a clone that has one merges it (an unsigned merge would be
    // refused by the hub).
    let signer = match crate::commons::actor::Actor::new(commons, None)
        .and_then(|a| a.may_act_on_channel(commons, &format!("merge the channel {channel}"), &id))
    {
        Ok(s) => s,
        Err(_) => return leave(report, Vec::new()),
    };
    let message = crate::commons::message(
        &format!("merge the channel {channel} from {}", report.remote),
        &[("Action", "merge-channel"), ("Channel", &channel)],
    );
    let commit = write_merge(repo, merge.tree, ours, theirs, &message, signer.as_ref())?;
    let Some(arrived) = fork.land(Kind::Channel, commit)? else { return Ok(None) };
    add_line(&mut report.merged, Merged::Channel { refname: pair.local.clone(), channel });
    Ok(Some(arrived))
}
