//! Every runnable example of the user guide is run: a block fenced as
//! ```mm,run=APP (APP relative to the repository root, `.wasm` or `.wat`)
//! is run with that app on both targets (only on the engine when fenced
//! ```mm,run=APP,engine), and what each run prints must equal the next
//! block fenced as ```text,report (the `id` column, our own addresses,
//! ignored), or, on the rewriting target, a block fenced
//! ```text,report,rewrite that follows it where the targets' reports
//! differ. A block fenced ```LANG,file=PATH must be that file of the
//! repository, its comment lines aside (so what the guide shows is what
//! the tests run).

mod common;

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

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

/// (fence info, first line, code) of every fenced block.
fn blocks(text: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
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

/// Report rows without their first (`id`) column.
fn normalize(text: &str) -> String {
    let mut rows = false;
    text.trim()
        .lines()
        .map(|l| {
            if l.starts_with("id, id_type,") {
                rows = true;
                return l.to_string();
            }
            if rows && !l.is_empty() {
                l.split_once(", ").map_or(l, |(_, r)| r).to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn runnable_guide_examples_print_what_the_guide_says() {
    let mut files = Vec::new();
    markdown_files(&repo().join("docs/src"), &mut files);
    files.sort();
    let mut ran = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let bs = blocks(&text);
        for (k, (info, line, code)) in bs.iter().enumerate() {
            let Some(app) = info.strip_prefix("mm,run=") else {
                continue;
            };
            let (app, engine_only) = match app.strip_suffix(",engine") {
                Some(a) => (a, true),
                None => (app, false),
            };
            let place = format!("{}:{line}", file.display());
            let Some((_, _, expected)) = bs[k + 1..].iter().find(|b| b.0 == "text,report") else {
                failures.push(format!("{place}: no ```text,report block follows"));
                continue;
            };
            let rewrite_expected = bs[k + 1..]
                .iter()
                .take_while(|b| !b.0.starts_with("mm,run="))
                .find(|b| b.0 == "text,report,rewrite")
                .map(|b| &b.2);
            let (checked, diags) = wham_lang::compile(code);
            let Some(checked) = checked else {
                failures.push(format!(
                    "{place}: {}",
                    diags.render_plain("example.mm", code)
                ));
                continue;
            };
            let bytes =
                std::fs::read(repo().join(app)).unwrap_or_else(|e| panic!("{place}: {app}: {e}"));
            let bytes = wat::parse_bytes(&bytes).expect("a module").into_owned();
            let options = || wham_host::RunOptions {
                args: vec![app.to_string()],
                capture: true,
                ..Default::default()
            };
            // The engine target (the default of `wham run`).
            let monitor = wham_engine::build(&checked, &Default::default())
                .map_err(|e| e.to_string())
                .and_then(|m| {
                    wham_engine::run_with_monitor(
                        &bytes,
                        &m.bytes,
                        options(),
                        wham_engine::Tier::default(),
                    )
                    .map_err(|e| e.to_string())
                });
            let mut runs = vec![("engine", monitor.map(|r| r.result))];
            if !engine_only {
                let rewritten = wham_rewrite::instrument(&checked, &bytes, &Default::default())
                    .map_err(|e| e.to_string())
                    .and_then(|out| {
                        let mut o = options();
                        o.finally = Some(wham_rewrite::FLUSH_EXPORT.into());
                        wham_host::run(&out.bytes, &o).map_err(|e| e.to_string())
                    });
                runs.push(("rewrite", rewritten));
            }
            for (target, run) in runs {
                match run {
                    Ok(run) => {
                        let mut got = String::from_utf8_lossy(&run.stdout).into_owned();
                        // The guide shows the default (engine) target's
                        // report, whose `probe_id` has no mode.
                        let expected = match (target, rewrite_expected) {
                            ("rewrite", Some(own)) => own,
                            ("rewrite", None) => {
                                got = common::engine_spelling(&got);
                                expected
                            }
                            _ => expected,
                        };
                        if normalize(&got) != normalize(expected) {
                            failures.push(format!(
                                "{place} ({target}): printed\n{got}\nexpected\n{expected}"
                            ));
                        }
                    }
                    Err(e) => failures.push(format!("{place} ({target}): {e}")),
                }
            }
            ran += 1;
        }
    }
    assert!(ran > 0, "no runnable examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn files_the_guide_shows_are_the_files_the_tests_use() {
    let mut files = Vec::new();
    markdown_files(&repo().join("docs"), &mut files);
    let mut shown = 0;
    for md in files {
        let text = std::fs::read_to_string(&md).unwrap();
        for (info, line, code) in blocks(&text) {
            let Some(path) = info.split(',').find_map(|p| p.strip_prefix("file=")) else {
                continue;
            };
            let file = std::fs::read_to_string(repo().join(path)).unwrap();
            let code_lines = |t: &str| -> Vec<String> {
                t.lines()
                    .filter(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(
                code_lines(&code),
                code_lines(&file),
                "{}:{line} shows {path}, which says otherwise",
                md.display()
            );
            shown += 1;
        }
    }
    assert!(shown > 0, "no block of the guide shows a file");
}
