//! Integrating each remote-tracking ref into the local ref it mirrors, by the rule of its
//! kind, and moving local refs as compare-and-swaps.

use super::*;

/// Integrates every remote-tracking ref into the local ref it mirrors.
pub(super) fn integrate(commons: &Commons, remote_name: &str, dry_run: bool, report: &mut Report) -> Result<()> {
    let repo = &commons.repo;
    let mut pairs: Vec<Pair> = repo
        .refs_with_prefix(&format!("refs/remotes/{remote_name}/"))?
        .into_iter()
        .chain(repo.refs_with_prefix(&format!("{MIRRORS}{remote_name}/"))?)
        .filter_map(|(name, _)| pair_of(&name, remote_name, &commons.trunk_ref))
        .collect();
    pairs.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.local.cmp(&b.local)));
    // Where channels' pins may come from: read at the first channel, once the editions
    // (integrated before, by the order of kinds) are in place.
    let mut sources = None;
    for pair in pairs {
        // Another process in this clone (a second sync, a tribune command) may move the
        // local ref while this one builds on it: then read it again and start over.
        let mut attempt = 0;
        loop {
            match integrate_one(commons, remote_name, &pair, dry_run, &mut sources, report)? {
                Some(arrived) => {
                    report.arrived.add(arrived);
                    break;
                }
                None if attempt < MAX_MOVES => {
                    attempt += 1;
                    std::thread::sleep(crate::git::backoff(attempt.min(7)));
                }
                None => {
                    return Err(fail(
                        format!("{} kept moving while tribune sync ran", pair.local),
                        "other tribune commands are writing to this commons; run `tribune sync` again when they \
                         are done",
                    ))
                }
            }
        }
    }
    Ok(())
}

/// Integrates one remote-tracking ref. What arrived, or None when the local ref moved
/// meanwhile (nothing was changed then, and nothing reported: the caller starts over).
pub(super) fn integrate_one(
    commons: &Commons,
    remote_name: &str,
    pair: &Pair,
    dry_run: bool,
    sources: &mut Option<crate::channels::provenance::Sources>,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    let mut arrived = Moved::default();
    let Some(theirs) = repo.ref_target(&pair.tracking)? else { return Ok(Some(arrived)) };
    let ours = repo.ref_target(&pair.local)?;
    if ours == Some(theirs) {
        return Ok(Some(arrived));
    }
    // A malformed ref, here or there, is named and left alone: it affects only the records
    // on it, never the rest of the sync (nor, through the hub, every other clone's).
    if let Some(o) = ours {
        if let Some(what) = malformed(repo, pair.kind, o)? {
            add_line(&mut report.warnings, malformed_ref(&pair.local, Side::Here, o, what));
            return Ok(Some(arrived));
        }
    }
    if let Some(what) = malformed(repo, pair.kind, theirs)? {
        add_line(&mut report.warnings, malformed_ref(&pair.local, Side::Remote, theirs, what));
        return Ok(Some(arrived));
    }
    // A channel whose files tribune cannot read (or whose pins are missing) is not taken:
    // every read of it here would fail.
    if let Some(id) = crate::channels::ChannelId::of_ref(&pair.local).filter(|_| pair.kind == Kind::Channel) {
        // What it pins anew must be its articles' (their directories as a branch held them).
        if let Err(e) = crate::channels::check_tip(commons, &id, theirs) {
            let what = ("channel", Some(format!("{e:#}")));
            add_line(&mut report.warnings, malformed_ref(&pair.local, Side::Remote, theirs, what));
            return Ok(Some(arrived));
        }
        let sources = match sources {
            Some(s) => s,
            None => {
                // The remote's trunk counts only if sync takes it (below, after the channels):
                // a commons that shares this one's history.
                let mut found = crate::channels::provenance::Sources::of_clone(commons, Some(remote_name))?;
                let local = repo.ref_target(&commons.trunk_ref)?;
                found.retain_trunks(|t| {
                    Ok(Some(t) == local
                        || (unreadable_trunk(repo, t)?.is_none()
                            && local.map_or(Ok(true), |l| repo.merge_base(l, t).map(|b| b.is_some()))?))
                })?;
                sources.insert(found)
            }
        };
        if let Err(e) = crate::channels::provenance::check_new_pins(commons, &id, ours, theirs, sources) {
            let what = ("pins", Some(format!("{e:#}")));
            add_line(&mut report.warnings, malformed_ref(&pair.local, Side::Remote, theirs, what));
            return Ok(Some(arrived));
        }
    }
    // A trunk without a tribune.toml that parses is not taken either: every command here
    // would stop on it, sync included (a hub without tribune's hook takes any push).
    if pair.kind == Kind::Trunk {
        if let Some(why) = unreadable_trunk(repo, theirs)? {
            add_line(&mut report.warnings, malformed_ref(&pair.local, Side::Remote, theirs, ("commons", Some(why))));
            return Ok(Some(arrived));
        }
    }
    if pair.kind == Kind::Tag {
        return tag(commons, pair, ours, theirs, dry_run, report);
    }
    let relation = match ours {
        None => Relation::Behind,
        Some(o) if repo.is_ancestor(theirs, o)? => Relation::Ahead,
        Some(o) if repo.is_ancestor(o, theirs)? => Relation::Behind,
        Some(_) => Relation::Diverged,
    };
    match relation {
        Relation::Ahead => Ok(Some(arrived)),
        Relation::Behind => {
            if dry_run {
                add_line(&mut report.plan, Step::FastForward { refname: pair.local.clone() });
                return Ok(Some(arrived));
            }
            count_arrival(repo, pair, ours, theirs, &mut arrived)?;
            Ok(move_ref(commons, &pair.local, ours, theirs)?.then_some(arrived))
        }
        Relation::Diverged => {
            let ours = ours.context("a diverged ref has a local value")?;
            if dry_run {
                add_line(&mut report.plan, Step::Merge { refname: pair.local.clone() });
                return Ok(Some(arrived));
            }
            match pair.kind {
                Kind::Trunk if repo.merge_base(ours, theirs)?.is_none() => Err(fail(
                    format!("this commons and {remote_name} share no history: their trunks have no commit in common"),
                    format!(
                        "{remote_name} is another commons; check its URL with `git remote -v`, nothing was changed"
                    ),
                )),
                Kind::Trunk => merge_trunk(commons, remote_name, ours, theirs, report),
                Kind::Notes => merge_notes(&Fork { commons, pair, ours, theirs }, report),
                Kind::Ballots if pair.local.starts_with(crate::statements::BALLOT_REFS) => {
                    merge_ballots(&Fork { commons, pair, ours, theirs }, report)
                }
                Kind::Edition => merge_edition(&Fork { commons, pair, ours, theirs }, report),
                Kind::Channel => merge_channel(&Fork { commons, pair, ours, theirs }, report),
                _ => {
                    add_line(
                        &mut report.diverged,
                        Diverged::Histories {
                            refname: pair.local.clone(),
                            here: ours.to_string(),
                            there: theirs.to_string(),
                        },
                    );
                    Ok(Some(arrived))
                }
            }
        }
    }
}

pub(super) enum Relation {
    Ahead,
    Behind,
    Diverged,
}

/// What is wrong with the object a ref of `kind` points at, if anything: a statement tag
/// must point at a tag object, every other ref tribune syncs at a commit. The kind wanted,
/// and the kind found (None: an object this repository does not have).
pub(super) fn malformed(repo: &Repo, kind: Kind, id: Oid) -> Result<Option<(&'static str, Option<String>)>> {
    let want = if kind == Kind::Tag { "tag" } else { "commit" };
    Ok(match repo.object_kind(id)? {
        Some(k) if k == want => None,
        found => Some((want, found.map(|k| k.to_string()))),
    })
}

/// Why a trunk at `tip` would not be a commons (None: it would be): no tribune.toml, or
/// one that does not parse, as opening the commons would find.
fn unreadable_trunk(repo: &Repo, tip: Oid) -> Result<Option<String>> {
    let Some((_, text)) = repo.blob_at(repo.commit_tree(tip)?, layout::CONFIG)? else {
        return Ok(Some(format!("it has no {}", layout::CONFIG)));
    };
    Ok(crate::model::config::Config::parse(&String::from_utf8_lossy(&text)).err().map(|e| e.message))
}

/// The warning for a ref, here or on the remote, that points at something malformed.
pub(super) fn malformed_ref(name: &str, side: Side, id: Oid, (wanted, found): (&str, Option<String>)) -> Malformed {
    Malformed { refname: name.to_string(), side, object: id.to_string(), found, wanted: wanted.to_string() }
}

/// Moves a local ref (compare-and-swap), keeping a checked-out trunk's work tree in step.
/// False when the ref no longer held `from` (another process moved it): nothing changed.
pub(super) fn move_ref(commons: &Commons, name: &str, from: Option<Oid>, to: Oid) -> Result<bool> {
    let repo = &commons.repo;
    if repo.update_ref(name, to, from, "tribune sync")? == RefUpdate::Moved {
        return Ok(false);
    }
    if name == commons.trunk_ref {
        let old_tree = match from {
            Some(f) => Some(repo.commit_tree(f)?),
            None => None,
        };
        let new_tree = repo.commit_tree(to)?;
        let paths: Vec<String> = repo.changed_paths(old_tree, new_tree, "")?.into_iter().map(|c| c.path).collect();
        if let Some(detail) = repo.refresh_worktree(name, old_tree, new_tree, &paths) {
            crate::events::emit(crate::events::Event::WorktreeNotRefreshed { refname: name.to_string(), detail });
        }
    }
    Ok(true)
}
