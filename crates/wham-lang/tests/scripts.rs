//! Golden tests over the script corpus in `tests/scripts/`:
//! - `valid/`: must check without errors; the expanded probes are snapshotted
//!   (which events each rule matched);
//! - `warnings/`: must check without errors and with at least one warning;
//!   the rendered diagnostics are snapshotted;
//! - `invalid/`: must fail; the rendered diagnostics are snapshotted.

use std::path::{Path, PathBuf};

fn scripts(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scripts")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "mm"))
        .collect();
    files.sort();
    files
}

fn name_of(path: &Path) -> String {
    path.file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

fn render(path: &Path, src: &str, diags: &wham_lang::Diagnostics) -> String {
    let shown = format!(
        "{}/{}",
        path.parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy(),
        path.file_name().unwrap().to_string_lossy()
    );
    format!("{}\n{}", diags.render_plain(&shown, src), diags.summary())
}

#[test]
fn valid_scripts_check_cleanly() {
    let files = scripts("valid");
    assert!(
        files.len() >= 40,
        "expected at least 40 valid scripts, found {}",
        files.len()
    );
    for path in files {
        let src = std::fs::read_to_string(&path).expect("read script");
        let (checked, diags) = wham_lang::compile(&src);
        let Some(checked) = checked else {
            panic!(
                "{} should be valid:\n{}",
                path.display(),
                render(&path, &src, &diags)
            );
        };
        assert_eq!(diags.error_count(), 0);
        let mut listing: Vec<String> = checked.probes.iter().map(|p| p.listing_name()).collect();
        // Globs can expand to hundreds of events: keep the snapshot readable.
        if listing.len() > 40 {
            let n = listing.len();
            listing.truncate(20);
            listing.push(format!("... {n} expansions in all"));
        }
        if !diags.is_empty() {
            listing.push(render(&path, &src, &diags));
        }
        insta::assert_snapshot!(format!("valid__{}", name_of(&path)), listing.join("\n"));
    }
}

#[test]
fn warning_scripts_warn_but_pass() {
    let files = scripts("warnings");
    assert!(!files.is_empty());
    for path in files {
        let src = std::fs::read_to_string(&path).expect("read script");
        let (checked, diags) = wham_lang::compile(&src);
        assert!(
            checked.is_some(),
            "{} should pass:\n{}",
            path.display(),
            render(&path, &src, &diags)
        );
        assert!(diags.warning_count() > 0, "{} should warn", path.display());
        insta::assert_snapshot!(
            format!("warning__{}", name_of(&path)),
            render(&path, &src, &diags)
        );
    }
}

#[test]
fn invalid_scripts_are_rejected_with_diagnostics() {
    let files = scripts("invalid");
    assert!(
        files.len() >= 40,
        "expected at least 40 invalid scripts, found {}",
        files.len()
    );
    for path in files {
        let src = std::fs::read_to_string(&path).expect("read script");
        let (checked, diags) = wham_lang::compile(&src);
        assert!(checked.is_none(), "{} should be rejected", path.display());
        assert!(diags.has_errors());
        insta::assert_snapshot!(
            format!("invalid__{}", name_of(&path)),
            render(&path, &src, &diags)
        );
    }
}
