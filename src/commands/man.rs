//! `tribune generate-man` (hidden): writes the man pages in `man/` from the command-line
//! definitions, so they can never disagree with `--help`. A test fails when the committed
//! pages are stale.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Write the man pages (tribune.1, one page per subcommand, tribune-format.5).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the pages into.
    #[arg(long, value_name = "DIR", default_value = "man")]
    pub out: PathBuf,
}

/// The on-disk format, written as lightly marked-up text (see [`format_page`]).
const FORMAT_TEXT: &str = include_str!("../format.md");

pub fn run(args: Args) -> Result<()> {
    for (name, bytes) in pages()? {
        write_if_changed(&args.out.join(&name), &bytes)?;
    }
    Ok(())
}

/// Every page as (file name, contents).
pub fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    render_tree(&crate::cli::command(), "", &mut out)?;
    out.push(("tribune-format.5".to_string(), ascii_ellipsis(format_page())));
    Ok(out)
}

/// The page name of a command as typed after `tribune` ("roster add-member" is
/// tribune-roster-add-member).
fn page_name(command: &str) -> String {
    if command.is_empty() {
        "tribune".to_string()
    } else {
        format!("tribune-{}", command.replace(' ', "-"))
    }
}

fn render_tree(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let name = page_name(path);
    let bin = if path.is_empty() { "tribune".to_string() } else { format!("tribune {path}") };
    // Without the help subcommand, which has no page (SUBCOMMANDS would name a
    // `tribune-help(1)`), and without the examples as `--help` shows them, which clap_mangen
    // would print as an EXTRA section: EXAMPLES below has them.
    let page = cmd
        .clone()
        .disable_help_subcommand(true)
        .after_long_help(None::<&str>)
        .display_name(name.clone())
        .bin_name(bin.clone());
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("tribune {}", env!("CARGO_PKG_VERSION")))
        .manual("Tribune Manual")
        .render(&mut buf)?;
    let entry = crate::cli::manual::page(path).with_context(|| format!("no entry for `{bin}` in cli/manual.rs"))?;
    // Rendered apart, so without the preamble that every rendering starts with.
    let preamble = roff::Roff::new().render();
    let more = sections(entry).render();
    buf.extend_from_slice(more.strip_prefix(preamble.as_str()).unwrap_or(&more).as_bytes());
    out.push((format!("{name}.1"), ascii_ellipsis(buf)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let sub_path = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
        render_tree(sub, &sub_path, out)?;
    }
    Ok(())
}

/// A page with `…` written `...`: groff in a C locale (`man` under LC_ALL=C) has no glyph for
/// it and drops it with a warning, taking the placeholder it stood for.
fn ascii_ellipsis(page: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(page) {
        Ok(text) => text.replace('…', "...").into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO, from `cli::manual`.
fn sections(entry: &crate::cli::manual::Page) -> roff::Roff {
    use crate::cli::manual::{environment, EXIT};
    use roff::{bold, roman, Inline, Roff};
    let mut doc = Roff::new();
    doc.control("SH", ["EXIT STATUS"]);
    for &(code, text) in EXIT {
        doc.control("TP", []).text([bold(code.to_string())]).text([roman(text)]);
        for &(_, more) in entry.exit.iter().filter(|(c, _)| *c == code) {
            doc.text([roman(more)]);
        }
    }
    for &(code, text) in entry.exit.iter().filter(|(c, _)| !EXIT.iter().any(|(e, _)| e == c)) {
        doc.control("TP", []).text([bold(code.to_string())]).text([roman(text)]);
    }
    doc.control("SH", ["ENVIRONMENT"]);
    for (name, text) in environment(entry) {
        doc.control("TP", []).text([bold(name)]).text([roman(text)]);
    }
    doc.control("SH", ["EXAMPLES"]);
    for (what, lines) in entry.examples {
        doc.control("PP", []).text([roman(*what)]);
        doc.control("PP", []).control("nf", []).control("RS", ["4"]);
        for line in lines.lines() {
            doc.text([roman(line)]);
        }
        doc.control("RE", []).control("fi", []);
    }
    // tribune(1), the related commands, and the format.
    let mut names: Vec<String> = Vec::new();
    if !entry.command.is_empty() {
        names.push("tribune(1)".to_string());
    }
    names.extend(entry.see_also.iter().map(|c| format!("{}(1)", page_name(c))));
    names.push("tribune-format(5)".to_string());
    let mut line: Vec<Inline> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        let (page, section) = n.split_once('(').unwrap_or((n, ""));
        line.push(bold(page));
        line.push(roman(format!("({section}")));
    }
    doc.control("SH", ["SEE ALSO"]).text(line);
    doc
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Renders `format.md` as a section-5 page. The markup is deliberately small: `# NAME`
/// section headings, `## Sub` subsections, paragraphs, `- ` bullet items, and blocks
/// indented by four spaces shown verbatim.
pub fn format_page() -> Vec<u8> {
    use roff::{bold, roman, Roff};
    let mut doc = Roff::new();
    doc.control("TH", ["TRIBUNE-FORMAT", "5", "", &format!("tribune {}", env!("CARGO_PKG_VERSION")), "Tribune Manual"]);
    let mut para: Vec<String> = Vec::new();
    let flush = |doc: &mut Roff, para: &mut Vec<String>| {
        if !para.is_empty() {
            doc.control("PP", []).text([roman(para.join(" "))]);
            para.clear();
        }
    };
    let mut lines = FORMAT_TEXT.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            flush(&mut doc, &mut para);
            doc.control("SS", [h]);
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut doc, &mut para);
            doc.control("SH", [h]);
        } else if let Some(item) = line.strip_prefix("- ") {
            flush(&mut doc, &mut para);
            let mut text = item.to_string();
            while let Some(next) = lines.peek().filter(|l| l.starts_with("  ") && !l.starts_with("    ")) {
                text.push(' ');
                text.push_str(next.trim());
                lines.next();
            }
            doc.control("IP", ["\\(bu", "2"]).text([roman(text)]);
        } else if let Some(first) = line.strip_prefix("    ") {
            flush(&mut doc, &mut para);
            let mut block = vec![first.to_string()];
            while let Some(next) = lines.peek().filter(|l| l.starts_with("    ") || l.is_empty()) {
                block.push(next.get(4..).unwrap_or("").to_string());
                lines.next();
            }
            while block.last().is_some_and(|l| l.is_empty()) {
                block.pop();
            }
            doc.control("PP", []).control("nf", []).control("RS", ["4"]);
            for l in block {
                doc.text([roman(l)]);
            }
            doc.control("RE", []).control("fi", []);
        } else if line.trim().is_empty() {
            flush(&mut doc, &mut para);
        } else if let Some(b) = line.strip_prefix("**").and_then(|l| l.strip_suffix("**")) {
            flush(&mut doc, &mut para);
            doc.control("PP", []).text([bold(b)]);
        } else {
            para.push(line.trim().to_string());
        }
    }
    flush(&mut doc, &mut para);
    doc.render().into_bytes()
}
