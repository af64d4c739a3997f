//! Every script example in the user guide (`docs/src/**/*.md`) is checked:
//! blocks fenced as ```mm must compile, blocks fenced as ```mm,fails must
//! be rejected.

use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("docs directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
}

/// (fence info, first line number, code) of every fenced block.
fn blocks(text: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some((info.trim().to_string(), i + 2, String::new())),
            }
        } else if let Some((_, _, code)) = current.as_mut() {
            code.push_str(line);
            code.push('\n');
        }
    }
    out
}

#[test]
fn user_guide_examples_behave_as_labelled() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/src");
    let mut files = Vec::new();
    markdown_files(&docs, &mut files);
    files.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read markdown");
        for (info, line, code) in blocks(&text) {
            let expect_ok = match info.as_str() {
                "mm" => true,
                "mm,fails" => false,
                _ => continue,
            };
            checked += 1;
            let (result, diags) = wham_lang::compile(&code);
            if result.is_some() != expect_ok {
                failures.push(format!(
                    "{}:{line}: expected {}, got:\n{}",
                    file.display(),
                    if expect_ok { "success" } else { "an error" },
                    diags.render_plain("example.mm", &code)
                ));
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} script examples found in the guide"
    );
    assert!(
        failures.is_empty(),
        "{} example(s) misbehave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
