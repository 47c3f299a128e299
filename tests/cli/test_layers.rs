//! The layers of `src/lib.rs`'s first comment, read from the sources.

/// The layers above hold: no module of the domain or of storage names the command line
/// or the presentation, or prints (tests aside).
#[test]
fn the_domain_never_calls_up_and_never_prints() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let above = ["commands", "cli", "output"];
    let mut files = vec![src.clone()];
    let mut broken = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for e in std::fs::read_dir(&path).unwrap() {
                let p = e.unwrap().path();
                let top = p.strip_prefix(&src).unwrap().components().next().unwrap();
                let top = top.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
                if !above.contains(&top.as_str()) && top != "main" && top != "lib" {
                    files.push(p);
                }
            }
            continue;
        }
        let name = path.to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for m in above {
            if code.contains(&format!("crate::{m}")) {
                broken.push(format!("{name} names crate::{m}"));
            }
        }
        for p in ["println!", "eprintln!", "print!(", "eprint!("] {
            if code.lines().any(|l| l.contains(p) && !l.trim_start().starts_with("//")) {
                broken.push(format!("{name} uses {p}"));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}
