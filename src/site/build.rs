//! One build: what changed since the manifest, the pages to render (articles on all
//! cores), and the output put in place atomically.

use super::article::{self, Inputs};
use super::collect::{self, Data};
use super::lists::{self, Planned};
use super::output::{self, Existing, Manifest};
use super::templates::{self, Templates};
use super::{Channel, Named, Options, Report, SiteCtx};
use crate::commons::Commons;
use crate::git::Oid;
use crate::index::Entry;
use crate::ratings::RATINGS_REFS;
use anyhow::{anyhow, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Builds the site in `opts.out`.
pub fn build(commons: &Commons, opts: &Options) -> Result<Report> {
    let tdir = opts.templates.as_deref();
    // Everything that can be refused is refused before OUT is touched.
    let templates = templates::load(tdir)?;
    // OUT locked against other builds, what a killed one left finished or cleared.
    let target = super::target::Target::lock(&opts.out, opts.full)?;
    let out = target.dir();
    let existing = output::existing(out)?;
    let base = opts.base_url.as_deref();
    let repo = &commons.repo;
    let tip = commons.trunk_tip()?;
    let tree = repo.commit_tree(tip)?;
    let (channels, withheld) = super::pinned::publishable(commons, crate::channels::list(commons)?)?;
    let global = global_key(commons, tree, base, &templates, &channels)?;
    // A whole build swaps a new directory in for OUT: what the user keeps there beside the
    // site (`.git`, `CNAME`) would be lost, so it is refused, naming them.
    if let Existing::Site(Some(m)) = &existing {
        if opts.full || m.global != global {
            let foreign = output::foreign_files(out, m);
            if !foreign.is_empty() {
                let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
                let more = if foreign.len() > 5 { format!(" and {} more", foreign.len() - 5) } else { String::new() };
                return Err(crate::error::fail(
                    format!(
                        "{} holds files the site did not write ({}{more}), which a whole build would lose: nothing was written",
                        opts.out.display(),
                        shown.join(", ")
                    ),
                    "move them out of the site's directory (deploy from a copy), then build again",
                ));
            }
        }
    }
    let old = match existing {
        Existing::Site(Some(m)) if !opts.full && m.global == global => Some(m),
        _ => None,
    };
    // Not freed: the process ends after a build, and freeing 100,000 entries and every
    // edition's texts one by one cost a twentieth of an incremental build.
    let data = std::mem::ManuallyDrop::new(collect::read(commons)?);
    let site = SiteCtx {
        name: data.org.clone(),
        lang: data.lang.clone(),
        base_url: base.map(str::to_string),
        filters: data.filters.iter().map(|(n, _)| Named { name: n.clone() }).collect(),
        channels: channels.iter().map(|c| Channel { id: c.id.clone(), title: c.title.clone() }).collect(),
    };
    let rater_refs = repo.refs_with_prefix(RATINGS_REFS)?;
    let on_trunk: HashSet<&str> = data.entries.iter().map(|e| e.slug.as_str()).collect();
    // The articles to build: all, or those whose inputs moved since the manifest.
    let dirty: Option<BTreeSet<String>> = match &old {
        Some(m) => changed_articles(commons, &data, m, tree, &rater_refs)?,
        None => None,
    };
    let todo: Vec<&Entry> = match &dirty {
        Some(d) => data.entries.iter().filter(|e| d.contains(&e.slug)).collect(),
        None => data.entries.iter().collect(),
    };
    let ratings = match &dirty {
        None => collect::all_ratings(commons)?,
        Some(_) => {
            let mut versions: Vec<Oid> = Vec::new();
            for e in &todo {
                versions.extend(e.version.parse::<Oid>().ok());
                for r in data.rivals(&e.slug) {
                    versions.extend(r.v.version.parse::<Oid>().ok());
                }
            }
            versions.sort();
            versions.dedup();
            collect::some_ratings(commons, &versions)?
        }
    };
    let logs = match &dirty {
        None => Some(crate::articles::history::all_logs(commons)?),
        Some(_) => None,
    };
    let staging = match &old {
        Some(_) => output::inside(out)?,
        None => output::beside(out)?,
    };
    let stage = staging.stage();
    // The files of the site: the last build's, brought up to date below.
    let mut old = old;
    let mut pages: BTreeMap<String, String> = old.as_mut().map(|m| std::mem::take(&mut m.pages)).unwrap_or_default();
    let mut written: Vec<String> = Vec::new();
    let mut unchanged = 0usize;
    // Article pages, on all cores.
    let inputs =
        Inputs { data: &data, ratings: &ratings, logs: logs.as_ref(), site: &site, base_url: base, trunk_tree: tree };
    let known = old.is_some().then_some(&pages);
    let built = render_articles(commons, &inputs, &todo, &templates, tdir, &stage, known)?;
    let articles_built = built.len();
    // The files of the articles built again replace all they had (an attachment may be gone).
    let mut stale: BTreeSet<String> = BTreeSet::new();
    for e in &todo {
        let prefix = format!("{}/", article::page_dir(&e.slug));
        stale.extend(pages.range(prefix.clone()..).take_while(|(p, _)| p.starts_with(&prefix)).map(|(p, _)| p.clone()));
    }
    for p in &stale {
        pages.remove(p);
    }
    // What each article page's credits were worked out from (see `changed_articles`): the
    // pages built now say it anew, the others keep what the manifest said.
    let mut inputs: BTreeMap<String, String> = BTreeMap::new();
    if let Some(m) = &old {
        let page_of =
            |p: &str| p.strip_prefix("articles/").and_then(|r| r.strip_suffix("/index.html")).map(str::to_string);
        for (path, input) in &m.inputs {
            if page_of(path).is_some_and(|slug| {
                on_trunk.contains(slug.as_str()) && dirty.as_ref().is_some_and(|d| !d.contains(&slug))
            }) {
                inputs.insert(path.clone(), input.clone());
            }
        }
    }
    for (slug, sources, b) in built {
        if !sources.is_empty() {
            inputs.insert(format!("{}/index.html", article::page_dir(&slug)), format!("credits {}", sources.join(" ")));
        }
        for (path, key, wrote) in b {
            if wrote {
                written.push(path.clone());
            } else {
                unchanged += 1;
            }
            stale.remove(&path);
            pages.insert(path, key);
        }
    }
    let mut removed: Vec<String> = stale.into_iter().collect();
    // Keeps a rendered file when its bytes differ from what OUT has.
    let mut put =
        |path: String, key: String, bytes: Option<&[u8]>, pages: &mut BTreeMap<String, String>| -> Result<()> {
            if pages.get(&path) == Some(&key) {
                unchanged += 1;
            } else {
                if let Some(b) = bytes {
                    stage.write(&path, b)?;
                }
                written.push(path.clone());
                pages.insert(path, key);
            }
            Ok(())
        };
    // Every list page, rendered, kept when its bytes changed.
    let counts = |e: &Entry| data.version_count(e);
    let items = lists::items(&data, &counts, base);
    let mut planned: Vec<Planned> = Vec::new();
    // The contingents' pages on the other core, beside the front pages (which read the
    // shared filters' ratings through the repository, on this thread).
    let (fronts, contingents) = std::thread::scope(|scope| {
        let contingents = scope.spawn(|| super::contingents::contingent_pages(&site, &data, &items, base));
        let fronts = lists::listings(commons, &data, &items, &channels).and_then(|ls| {
            let known = old.as_ref().map(|m| &m.inputs);
            let (mut pages, mut files) = (Vec::new(), Vec::new());
            for l in &ls {
                pages.extend(lists::listing_pages(&site, l, base, known));
                pages.extend(super::pinned::pages(&site, &l.title, &l.dir, &l.pins, base)?);
                files.extend(l.pins.iter().flat_map(|d| d.files.iter().cloned()));
            }
            Ok((pages, files))
        });
        let contingents = contingents.join().map_err(|_| anyhow!("making the contingents' pages failed"));
        (fronts, contingents)
    });
    let (fronts, pinned_files) = fronts?;
    planned.extend(fronts);
    planned.extend(contingents??);
    // The statements' pages are tallied and verified again only when what they are made
    // from moved: a recount reads every ballot.
    let statements_state = super::statements::state(commons)?;
    let statements_kept = old.as_ref().is_some_and(|m| m.statements == statements_state && !m.statements.is_empty());
    if !statements_kept {
        planned.extend(super::statements::pages(commons, &site, &data, base)?);
    }
    if let Some(b) = base {
        let mut paths: Vec<String> = planned.iter().map(|p| p.path.clone()).collect();
        if statements_kept {
            let kept = old.as_ref().map(|m| &m.inputs).into_iter().flatten().map(|(p, _)| p);
            paths.extend(kept.filter(|p| p.starts_with("statements/")).cloned());
        }
        // In name order: the same pages make the same sitemap, however they were planned.
        paths.sort();
        planned.extend(super::sitemap::sitemap(b, &items, &paths, old.as_ref().map(|m| &m.inputs)));
    }
    let mut listed: HashSet<String> = HashSet::new();
    if statements_kept {
        for (path, input) in old.as_ref().map(|m| &m.inputs).into_iter().flatten() {
            if path.starts_with("statements/") {
                listed.insert(path.clone());
                inputs.insert(path.clone(), input.clone());
            }
        }
    }
    for p in planned {
        listed.insert(p.path.clone());
        let input = match p.input {
            Some(i) => i,
            None => digest_of(&p.ctx)?,
        };
        let known = old.as_ref().and_then(|m| Some((m.inputs.get(&p.path)?, pages.get(&p.path)?.clone())));
        match known {
            // Rendered from the same data with the same templates: the same bytes.
            Some((i, key)) if *i == input => put(p.path.clone(), key, None, &mut pages)?,
            _ => {
                let bytes = templates.render(p.template, p.ctx, tdir)?;
                let key = sha1_smol::Sha1::from(bytes.as_bytes()).digest().to_string();
                put(p.path.clone(), key, Some(bytes.as_bytes()), &mut pages)?;
            }
        }
        inputs.insert(p.path, input);
    }
    let style_key = sha1_smol::Sha1::from(templates.style.as_bytes()).digest().to_string();
    put("style.css".into(), style_key, Some(templates.style.as_bytes()), &mut pages)?;
    listed.insert("style.css".into());
    // The files pinned beside the channels' picks, copied beside their pages (read only
    // when they are not there already).
    for (path, id) in pinned_files {
        let key = id.to_string();
        let bytes = if pages.get(&path) == Some(&key) { None } else { Some(repo.read_blob(id)?) };
        put(path.clone(), key, bytes.as_deref(), &mut pages)?;
        listed.insert(path);
    }
    // What the last build wrote and this one does not: articles no longer on the trunk,
    // list pages no longer made (a filter removed, an archive page fewer).
    if old.is_some() {
        let gone: Vec<String> = pages
            .keys()
            .filter(|p| match p.strip_prefix("articles/").and_then(|r| r.split('/').next()) {
                Some(slug) => !on_trunk.contains(slug),
                None => !listed.contains(*p),
            })
            .cloned()
            .collect();
        for p in gone {
            pages.remove(&p);
            removed.push(p);
        }
    }
    let manifest = Manifest {
        tribune_site: output::FORMAT,
        global,
        trunk: tip.to_string(),
        trunk_tree: tree.to_string(),
        editions: data
            .editions
            .list
            .iter()
            .map(|e| {
                (
                    e.refname.clone(),
                    (e.tip.to_string(), e.loaded().into_iter().flatten().map(|(k, _)| k.clone()).collect()),
                )
            })
            .collect(),
        raters: rater_refs.iter().map(|(r, t)| (r.clone(), t.to_string())).collect(),
        pages,
        inputs,
        statements: statements_state,
    };
    let files = manifest.pages.len();
    let mode = if old.is_some() { "incremental" } else { "full" };
    // Nothing written, nothing moved: the manifest as it is says the same.
    let same = old.as_ref().is_some_and(|m| {
        written.is_empty()
            && removed.is_empty()
            && m.trunk == manifest.trunk
            && m.editions == manifest.editions
            && m.raters == manifest.raters
            && m.inputs == manifest.inputs
            && m.statements == manifest.statements
    });
    if same {
        drop(staging);
    } else if old.is_some() {
        super::journal::commit_into(staging, out, &written, &removed, &manifest)?;
    } else {
        output::swap_in(staging, out, &manifest)?;
    }
    Ok(Report {
        out: opts.out.display().to_string(),
        mode,
        files,
        written,
        removed,
        unchanged,
        articles_built,
        withheld,
    })
}

/// What every page depends on: when it changes, every page is built again.
fn global_key(
    commons: &Commons,
    tree: Oid,
    base: Option<&str>,
    t: &Templates,
    channels: &[crate::channels::Summary],
) -> Result<String> {
    let repo = &commons.repo;
    let mut h = sha1_smol::Sha1::new();
    // Every page's navigation names the channels.
    for c in channels {
        h.update(format!("channel {}\t{}\n", c.id, c.title).as_bytes());
    }
    h.update(format!("tribune {} site {}\n", env!("CARGO_PKG_VERSION"), output::FORMAT).as_bytes());
    h.update(base.unwrap_or("").as_bytes());
    h.update(t.digest.as_bytes());
    for path in ["roster", crate::model::layout::CONFIG, "filters"] {
        let id = repo.entry_at(tree, path)?.map(|e| e.id.to_string()).unwrap_or_default();
        h.update(format!("\n{path} {id}").as_bytes());
    }
    Ok(h.digest().to_string())
}

/// The articles whose pages may have changed since the manifest, from what moved: the
/// trunk's articles (a tree diff), the editions that moved (their texts before and now),
/// the rating refs that moved (the notes that changed), the challenges that changed.
/// None when that cannot be told (a commit of the manifest is gone): build everything.
fn changed_articles(
    commons: &Commons,
    data: &Data,
    m: &Manifest,
    tree: Oid,
    rater_refs: &[(String, Oid)],
) -> Result<Option<BTreeSet<String>>> {
    let repo = &commons.repo;
    let Some(old_tree) = m.trunk_tree.parse::<Oid>().ok().filter(|t| repo.has_object(*t)) else { return Ok(None) };
    let mut out = BTreeSet::new();
    let slug_of = |path: &str| path.split('/').nth(3).map(str::to_string);
    for c in repo.changed_paths(Some(old_tree), tree, crate::model::layout::ARTICLES)? {
        out.extend(slug_of(&c.path));
    }
    // Editions: every slug an edition that moved had or has.
    let now: HashMap<&str, &crate::index::Edition> =
        data.editions.list.iter().map(|e| (e.refname.as_str(), e)).collect();
    for (refname, (tip, slugs)) in &m.editions {
        if now.get(refname.as_str()).map(|e| e.tip.to_string()) != Some(tip.clone()) {
            out.extend(slugs.iter().cloned());
        }
    }
    for e in &data.editions.list {
        if m.editions.get(&e.refname).map(|(t, _)| t.as_str()) != Some(e.tip.to_string().as_str()) {
            out.extend(e.versions()?.into_keys());
        }
    }
    // Credits: a page whose credits were worked out from an article that changed (its text,
    // its trunk history, an edition's version of it), as the manifest recorded them.
    let mut credited = Vec::new();
    for (path, input) in &m.inputs {
        let Some(slug) = path.strip_prefix("articles/").and_then(|r| r.strip_suffix("/index.html")) else { continue };
        let Some(sources) = input.strip_prefix("credits ") else { continue };
        if sources.split(' ').any(|s| out.contains(s)) {
            credited.push(slug.to_string());
        }
    }
    out.extend(credited);
    // Ratings: the versions whose notes changed on the refs that moved.
    let mut versions: HashSet<Oid> = HashSet::new();
    let mut gone = false;
    for (refname, tip) in rater_refs {
        let old = m.raters.get(refname).and_then(|t| t.parse::<Oid>().ok());
        if old == Some(*tip) {
            continue;
        }
        let old_tree = match old {
            Some(o) if repo.has_object(o) => Some(repo.commit_tree(o)?),
            Some(_) => return Ok(None),
            None => None,
        };
        for (object, _, _) in repo.changed_notes(old_tree, repo.commit_tree(*tip)?)? {
            versions.insert(object);
        }
    }
    for refname in m.raters.keys() {
        if !rater_refs.iter().any(|(r, _)| r == refname) {
            gone = true;
        }
    }
    if gone {
        // A rater's ref deleted: which of its notes went is no longer to be read cheaply.
        return Ok(None);
    }
    if !versions.is_empty() {
        let hex: HashSet<String> = versions.iter().map(|v| v.to_string()).collect();
        for e in &data.entries {
            if hex.contains(&e.version) {
                out.insert(e.slug.clone());
            }
        }
        for slug in data.rival_slugs() {
            if data.rivals(slug).any(|r| hex.contains(&r.v.version)) {
                out.insert(slug.to_string());
            }
        }
    }
    // Challenges and replies that changed: the articles they are about, then and now.
    for c in repo.changed_paths(Some(old_tree), tree, "challenges")? {
        let Some(id) = c.path.split('/').nth(2) else { continue };
        for blob in [c.old, c.new].into_iter().flatten() {
            if !c.path.ends_with("/index.md") || c.path.contains("/replies/") {
                continue;
            }
            let text = String::from_utf8_lossy(&repo.read_blob(blob)?).into_owned();
            if let Ok(ch) = crate::challenges::parse_challenge(id, &c.path, &text) {
                out.extend(ch.about);
            }
        }
        if let Some(ch) = data.challenges.iter().find(|ch| ch.id == id) {
            out.extend(ch.about.clone());
        }
    }
    Ok(Some(out))
}

/// One article's files: (path, key, written?) for its page and each attachment.
type Files = Vec<(String, String, bool)>;

/// One article built: its slug, the articles its credits were worked out from, its files.
type Rendered = (String, Vec<String>, Files);

/// Renders the articles' pages on all cores, each thread with its own handle on the
/// repository, writing each page whose bytes changed into the staging directory.
fn render_articles(
    commons: &Commons,
    inp: &Inputs<'_>,
    todo: &[&Entry],
    templates: &Templates,
    tdir: Option<&std::path::Path>,
    stage: &output::Staging,
    old: Option<&BTreeMap<String, String>>,
) -> Result<Vec<Rendered>> {
    let one = |c: &Commons, e: &Entry| -> Result<Rendered> {
        let built = article::build(c, inp, e)?;
        let bytes = templates.render("article.html", minijinja::Value::from_serialize(&built.ctx), tdir)?;
        let path = format!("{}/index.html", article::page_dir(&e.slug));
        let key = sha1_smol::Sha1::from(bytes.as_bytes()).digest().to_string();
        let mut out = Vec::new();
        let fresh = old.and_then(|o| o.get(&path)) != Some(&key);
        if fresh {
            stage.write(&path, bytes.as_bytes())?;
        }
        out.push((path, key, fresh));
        for (file, blob) in built.files {
            let key = blob.to_string();
            let fresh = old.and_then(|o| o.get(&file)) != Some(&key);
            if fresh {
                stage.write(&file, &c.repo.read_blob(blob)?)?;
            }
            out.push((file, key, fresh));
        }
        Ok((e.slug.clone(), built.sources, out))
    };
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if todo.len() < 64 || threads < 2 {
        return todo.iter().map(|e| one(commons, e)).collect();
    }
    let git_dir = commons.repo.git_dir().to_path_buf();
    let tip = commons.trunk_tip()?;
    let one = &one;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let git_dir = git_dir.clone();
                scope.spawn(move || -> Result<Vec<Rendered>> {
                    let c = Commons::at_tip(crate::git::Repo::open_git_dir(&git_dir)?, tip)?;
                    todo.iter().skip(t).step_by(threads).map(|e| one(&c, e)).collect()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(todo.len());
        for h in handles {
            out.extend(h.join().map_err(|_| anyhow!("a worker thread failed"))??);
        }
        Ok(out)
    })
}

/// The SHA-1 of a page's data, as JSON.
fn digest_of(ctx: &minijinja::Value) -> Result<String> {
    struct Hashing(sha1_smol::Sha1);
    impl std::io::Write for Hashing {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.update(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(sha1_smol::Sha1::new());
    serde_json::to_writer(std::io::BufWriter::with_capacity(1 << 16, &mut h), ctx)?;
    Ok(h.0.digest().to_string())
}
