//! PDF through headless Chromium: the HTML export printed as a browser prints it. Chromium
//! is looked for on PATH (chromium-headless-shell, chromium, chromium-browser,
//! google-chrome); without it, a PDF is refused with how to get one. The page it prints runs
//! no script: its content security policy allows none.

use crate::error::fail;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BROWSERS: [&str; 4] = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"];

/// The first browser of [`BROWSERS`] on PATH.
pub fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    BROWSERS.iter().find_map(|b| std::env::split_paths(&path).map(|d| d.join(b)).find(|p| p.is_file()))
}

/// Prints `html` to the PDF file `out`.
pub fn print(html: &str, out: &Path) -> Result<()> {
    let Some(browser) = browser() else {
        return Err(fail(
            "no headless Chromium to print a PDF with (looked for chromium-headless-shell, chromium, \
             chromium-browser and google-chrome on PATH)",
            "install one (apt-get install chromium-headless-shell), or export --format html and print it from a \
             browser",
        ));
    };
    let dir = tempfile::tempdir().context("could not make a temporary directory for the PDF")?;
    let page = dir.path().join("newsletter.html");
    std::fs::write(&page, html).with_context(|| format!("could not write {}", page.display()))?;
    let target = dir.path().join("newsletter.pdf");
    let status = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("could not run {}", browser.display()))?;
    let printed = std::fs::read(&target).unwrap_or_default();
    if !status.success() || !printed.starts_with(b"%PDF") {
        return Err(fail(
            format!("{} printed no PDF ({status})", browser.display()),
            "export --format html and print it from a browser",
        ));
    }
    std::fs::write(out, printed)
        .map_err(|e| fail(format!("cannot write {}: {e}", out.display()), "check the path and permissions"))
}
