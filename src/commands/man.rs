//! `tribune generate-man` (hidden): writes the man pages in `man/` from the command-line
//! definitions, so they can never disagree with `--help`. A test fails when the committed
//! pages are stale.

use anyhow::{Context, Result};
use clap::CommandFactory;
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
    let cmd = crate::cli::Cli::command();
    render_tree(&cmd, "tribune", &mut out)?;
    out.push(("tribune-format.5".to_string(), format_page()));
    Ok(out)
}

fn render_tree(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let page = cmd.clone().display_name(name.to_string()).bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("tribune {}", env!("CARGO_PKG_VERSION")))
        .manual("Tribune Manual")
        .render(&mut buf)?;
    out.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        render_tree(sub, &format!("{name}-{}", sub.get_name()), out)?;
    }
    Ok(())
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
