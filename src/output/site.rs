//! What `tribune site` says it did.

use crate::site::Report;
use std::path::{Path, PathBuf};

/// "Built the site in OUT (incremental): 4 files written, 2,313 unchanged, 0 removed."
pub fn report(r: &Report) -> String {
    let out = super::clean_text(&r.out);
    format!(
        "Built the site in {out} ({}): {} of {} files written, {} unchanged, {} removed; {} article pages built.",
        r.mode,
        r.written.len(),
        r.files,
        r.unchanged,
        r.removed.len(),
        r.articles_built
    )
}

pub fn templates_written(dir: &Path, files: &[PathBuf]) -> String {
    let names: Vec<String> =
        files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    format!(
        "Wrote the default templates to {}: {}.\nEdit them, then build with `tribune site build OUT --templates {}`.",
        super::clean_text(&dir.display().to_string()),
        names.join(", "),
        super::clean_text(&dir.display().to_string())
    )
}
