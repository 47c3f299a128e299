//! Running the user's editor on a text, as git does.

use crate::error::fail;
use anyhow::{Context, Result};
use std::path::Path;

/// The editor git would run: `GIT_EDITOR`, `core.editor`, `VISUAL`, `EDITOR`, then `vi`
/// (only on a terminal: without one, `vi` would wait for ever, so that is an error).
pub fn command(core_editor: Option<String>) -> Result<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(e) = env("GIT_EDITOR").or(core_editor).or_else(|| env("VISUAL")).or_else(|| env("EDITOR")) {
        return Ok(e);
    }
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return Ok("vi".into());
    }
    Err(fail(
        "no editor is set and this is not a terminal",
        "pass the new text with --file FILE, or set GIT_EDITOR, core.editor, VISUAL or EDITOR",
    ))
}

/// Opens `text` in `editor` (a shell command, like git's) in a temporary file named `name`
/// and returns what was saved. An editor that fails aborts with an error.
pub fn edit(editor: &str, name: &str, text: &str) -> Result<String> {
    let dir = tempfile::Builder::new()
        .prefix("tribune-edit-")
        .tempdir()
        .context("could not create a temporary file to edit")?;
    let path = dir.path().join(name);
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
    run(editor, &path)?;
    let bytes = std::fs::read(&path).with_context(|| format!("could not read back {}", path.display()))?;
    Ok(crate::model::article::utf8(name, &bytes)?.to_string())
}

fn run(editor: &str, path: &Path) -> Result<()> {
    // As git does: the editor is a shell command line, the file its last argument.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(path)
        .status()
        .map_err(|e| {
            fail(
                format!("could not start the editor {editor:?}: {e}"),
                "set GIT_EDITOR, VISUAL or EDITOR, or pass --file",
            )
        })?;
    if !status.success() {
        return Err(fail(
            format!(
                "the editor {editor:?} exited with {}; nothing was written",
                status.code().map_or("a signal".to_string(), |c| format!("status {c}"))
            ),
            "save and quit normally to keep the rewrite, or pass the text with --file",
        ));
    }
    Ok(())
}
