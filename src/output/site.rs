//! What `tribune site` says it did.

use crate::site::Report;
use std::path::Path;

/// "Built the site in OUT (incremental): 4 files written, 2,313 unchanged, 0 removed."
pub fn report(r: &Report) -> String {
    let out = super::clean_text(&r.out);
    let mut text = format!(
        "Built the site in {out} ({}): {} of {} files written, {} unchanged, {} removed; {} article pages built.",
        r.mode,
        r.written.len(),
        r.files,
        r.unchanged,
        r.removed.len(),
        r.articles_built
    );
    for channel in &r.withheld {
        let channel = super::clean_text(channel);
        text.push_str(&format!(
            "\nLeft off the site: the channel {channel}, whose newest commit was not made by its keeper (`tribune channel show {channel}` says whose it is)."
        ));
    }
    text
}

/// What `site templates` wrote and kept.
pub fn templates_written(dir: &Path, done: &crate::site::templates::Written) -> String {
    let dir = super::clean_text(&dir.display().to_string());
    let kept = done.kept.join(", ");
    let mut out = if done.written.is_empty() {
        format!("Wrote nothing: {dir} already holds every template ({kept}), kept as they are.")
    } else {
        format!("Wrote the default templates to {dir}: {}.", done.written.join(", "))
    };
    if !done.kept.is_empty() && !done.written.is_empty() {
        out.push_str(&format!("\nKept the files already there, not replaced: {kept}."));
    }
    out.push_str(&format!("\nEdit them, then build with `tribune site build OUT --templates {dir}`."));
    out
}
