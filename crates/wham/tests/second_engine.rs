//! "Runs on any engine": instrumented outputs of conformance cases run on
//! Node 24 (V8) print exactly what they print on wham's wasmtime runner,
//! report included, with the same exit status. Node comes from
//! `scripts/install-node.sh` (into `.tools/node`) or `$WHAM_NODE`; without
//! it the test says, on stderr where `cargo test` shows it, that it was
//! skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn node() -> Option<PathBuf> {
    let candidate = std::env::var_os("WHAM_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".tools/node/bin/node"));
    // Multi-memory, which instrumented outputs need, came with Node 22.
    let major = Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            let v = String::from_utf8_lossy(&o.stdout).to_string();
            v.trim()
                .strip_prefix('v')?
                .split('.')
                .next()?
                .parse::<u32>()
                .ok()
        });
    major.is_some_and(|m| m >= 22).then_some(candidate)
}

/// Say a test was skipped where the reader sees it: `cargo test` keeps
/// what tests print, but not what is written to stderr directly.
fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED second-engine test: {why}");
}

/// Cases whose apps are plain WASI commands (no trap expected).
const CASES: &[&str] = &[
    "br_if_counts",
    "call_filters",
    "func_entry_exit",
    "after_results",
    "mem_access",
    "narrow_numerics",
    "unshared_init",
    "proc_exit",
    "map_many_keys",
    "map_keys_and_values",
    "basic_blocks",
    "alt_replace",
    "block_modes_and_targets",
    "c_sort_swaps",
    "c_dispatch_exit",
];

#[test]
fn instrumented_outputs_behave_the_same_on_node() {
    let Some(node) = node() else {
        skipped("no Node 22 or newer (run scripts/install-node.sh or set WHAM_NODE)");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("second-engine");
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for case in CASES {
        let cdir = repo().join("tests/conformance").join(case);
        let src = std::fs::read_to_string(cdir.join("script.mm")).unwrap();
        let (checked, _) = wham_lang::compile(&src);
        let checked = checked.expect("case compiles");
        let app = match std::fs::read_to_string(cdir.join("app")) {
            Ok(p) => std::fs::read(repo().join(p.trim())).unwrap(),
            Err(_) => wat::parse_file(cdir.join("app.wat")).unwrap(),
        };
        let out =
            wham_rewrite::instrument(&checked, &app, &Default::default()).expect("instruments");
        let path = dir.join(format!("{case}.wasm"));
        std::fs::write(&path, &out.bytes).unwrap();
        let here = wham_host::run(
            &out.bytes,
            &wham_host::RunOptions {
                args: vec![path.to_string_lossy().into_owned()],
                capture: true,
                ..Default::default()
            },
        )
        .unwrap();
        let there = Command::new(&node)
            .arg("--no-warnings")
            .arg(repo().join("tests/node/run.mjs"))
            .arg(&path)
            .output()
            .unwrap();
        let code = match here.outcome {
            wham_host::Outcome::Exited(c) => c,
            other => panic!("{case}: {other:?}"),
        };
        if there.stdout != here.stdout || there.status.code() != Some(code) {
            failures.push(format!(
                "{case}: node exited {:?} (wasmtime {code}) and printed\n{}\nstderr:\n{}\nwasmtime printed\n{}",
                there.status.code(),
                String::from_utf8_lossy(&there.stdout),
                String::from_utf8_lossy(&there.stderr),
                String::from_utf8_lossy(&here.stdout)
            ));
        }
    }
    println!(
        "{} cases ran on Node, {} differed",
        CASES.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
