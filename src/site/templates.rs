//! The site's templates: the defaults embedded in the binary, any of which a directory of
//! the user's overrides by file name, compiled once before anything is written.
//!
//! Templates are minijinja (Jinja2 syntax). `.html` and `.xml` templates are autoescaped:
//! every value from the data is escaped where it is written, so nothing a contributor
//! wrote can become markup. The only values written unescaped (`|safe`) are the fields
//! named `*_html`, which tribune renders itself and neutralises (see `export::body_html`).

use crate::error::fail;
use anyhow::Result;
use minijinja::Environment;
use std::path::{Path, PathBuf};

/// Every default template: (file name, text).
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("front.html", include_str!("templates/front.html")),
    ("article.html", include_str!("templates/article.html")),
    ("pinned.html", include_str!("templates/pinned.html")),
    ("contingent.html", include_str!("templates/contingent.html")),
    ("contingents.html", include_str!("templates/contingents.html")),
    ("statement.html", include_str!("templates/statement.html")),
    ("statements.html", include_str!("templates/statements.html")),
    ("feed.xml", include_str!("templates/feed.xml")),
    ("sitemap.xml", include_str!("templates/sitemap.xml")),
    ("style.css", include_str!("templates/style.css")),
];

/// The templates of one build, compiled.
pub struct Templates {
    pub env: Environment<'static>,
    /// A digest of every template's text: what each page's key includes.
    pub digest: String,
    /// The stylesheet, copied as it is.
    pub style: String,
}

/// Where a template comes from: the user's directory, else the default.
fn source(dir: Option<&Path>, name: &str) -> Result<Option<(String, Option<PathBuf>)>> {
    if let Some(d) = dir {
        let path = d.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok(Some((text, Some(path)))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(fail(
                    format!("cannot read the template {}: {e}", path.display()),
                    "check the file's permissions, and that it is UTF-8 text",
                ))
            }
        }
    }
    Ok(DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, t)| (t.to_string(), None)))
}

/// "template article.html (from DIR/article.html), line 3: ...".
pub fn describe(e: &minijinja::Error, dir: Option<&Path>) -> String {
    let mut s = String::from("template");
    if let Some(name) = e.name() {
        s.push_str(&format!(" {name}"));
        if let Some(d) = dir.map(|d| d.join(name)).filter(|p| p.exists()) {
            s.push_str(&format!(" ({})", d.display()));
        }
    }
    if let Some(line) = e.line() {
        s.push_str(&format!(", line {line}"));
    }
    let mut why = e.kind().to_string();
    if let Some(d) = e.detail() {
        why = format!("{why}: {d}");
    }
    format!("{s}: {why}")
}

/// Loads and compiles every template, the user's overrides first. A directory that is not
/// there, a template that does not parse, or one that names (extends, includes) a template
/// that exists nowhere is refused here, before anything is written.
pub fn load(dir: Option<&Path>) -> Result<Templates> {
    if let Some(d) = dir {
        if !d.is_dir() {
            return Err(fail(
                format!("the templates directory {} does not exist (or is not a directory)", d.display()),
                "write the defaults there with `tribune site templates DIR`, then edit them",
            ));
        }
    }
    let mut env = Environment::new();
    // Escaped as every HTML page of tribune escapes (`&<>"'`), leaving `/` as it is, so
    // that addresses in pages and feeds read as addresses.
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
            if let Some(s) = value.as_str() {
                return out
                    .write_str(&crate::export::escape(s))
                    .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write"));
            }
        }
        minijinja::escape_formatter(out, state, value)
    });
    let mut digest = sha1_smol::Sha1::new();
    let mut style = String::new();
    // The user's own extra files (partials their templates include) are loaded too.
    let mut names: Vec<String> = DEFAULTS.iter().map(|(n, _)| n.to_string()).collect();
    if let Some(d) = dir {
        if let Ok(entries) = std::fs::read_dir(d) {
            let mut extra: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| (n.ends_with(".html") || n.ends_with(".xml")) && !names.contains(n))
                .collect();
            extra.sort();
            names.extend(extra);
        }
    }
    for name in &names {
        let Some((text, _)) = source(dir, name)? else { continue };
        digest.update(name.as_bytes());
        digest.update(&[0]);
        digest.update(text.as_bytes());
        digest.update(&[0]);
        if name == "style.css" {
            style = text;
            continue;
        }
        env.add_template_owned(name.clone(), text).map_err(|e| {
            fail(
                describe(&e, dir),
                "fix the template (Jinja2 syntax, see https://docs.rs/minijinja), or remove it to use the default",
            )
        })?;
    }
    // Every template that the build renders must resolve what it extends and includes:
    // rendering one with no data finds those (an unknown name is an error here).
    for (name, _) in DEFAULTS.iter().filter(|(n, _)| *n != "style.css" && *n != "base.html") {
        let t = env.get_template(name).map_err(|e| fail(describe(&e, dir), "fix the template"))?;
        if let Err(e) = t.render(minijinja::context! {}) {
            if e.kind() == minijinja::ErrorKind::TemplateNotFound {
                return Err(fail(
                    describe(&e, dir),
                    "a template names another that is neither in the templates directory nor a default",
                ));
            }
        }
    }
    Ok(Templates { env, digest: digest.digest().to_string(), style })
}

impl Templates {
    /// Renders `name` with `ctx`, an error naming the template and line on failure.
    pub fn render(&self, name: &str, ctx: minijinja::Value, dir: Option<&Path>) -> Result<String> {
        let t = self.env.get_template(name).map_err(|e| fail(describe(&e, dir), "fix the template"))?;
        t.render(ctx).map_err(|e| fail(describe(&e, dir), "fix the template, or remove it to use the default"))
    }
}

/// What `write_defaults` did: the templates it wrote, and those it found already there
/// and left as they are.
pub struct Written {
    pub written: Vec<String>,
    pub kept: Vec<String>,
}

/// Writes the default templates into `dir` (made if missing), each one that is not there
/// yet: a file already there is never replaced (it may be the user's edit). Nothing is left
/// written when one cannot be.
pub fn write_defaults(dir: &Path) -> Result<Written> {
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(fail(
            format!("{} is a file, not a directory: nothing was written", dir.display()),
            "give a directory for the templates (a new one, or one that holds some already)",
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        fail(format!("cannot make the directory {}: {}: nothing was written", dir.display(), why(&e)), "check the path")
    })?;
    let mut done = Written { written: Vec::new(), kept: Vec::new() };
    for (name, text) in DEFAULTS {
        let path = dir.join(name);
        let made = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
        let result = match made {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                done.kept.push(name.to_string());
                continue;
            }
            Err(e) => Err(e),
            Ok(mut f) => std::io::Write::write_all(&mut f, text.as_bytes()),
        };
        if let Err(e) = result {
            // Made here, so removed: what was there before is untouched.
            for n in done.written.iter().map(String::as_str).chain([*name]) {
                let _ = std::fs::remove_file(dir.join(n));
            }
            return Err(fail(
                format!("cannot write {}: {}: nothing was written", path.display(), why(&e)),
                format!("check that you can write in {}, or give another directory", dir.display()),
            ));
        }
        done.written.push(name.to_string());
    }
    Ok(done)
}

/// An I/O error in words, without the OS's code.
fn why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied => "permission denied".into(),
        NotFound => "a directory on the way does not exist".into(),
        NotADirectory | AlreadyExists => "a part of the path is a file, not a directory".into(),
        ReadOnlyFilesystem => "the file system is read-only".into(),
        StorageFull => "the disk is full".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}
