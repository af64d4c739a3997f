//! The conformance suite: every case in `tests/conformance/<case>/` is a
//! script, an app and the report it must produce.
//!
//! For each case the app runs twice on the embedded wasmtime: as it is, and
//! instrumented with the report sent to stderr. The app's own stdout and
//! exit status must be the same both times (instrumentation never changes
//! what the program computes), and the report must equal
//! `report.expected` except for the `id` column, which holds our own
//! addresses. Optional files: `args` (the app's arguments, one line),
//! `exit` (its expected exit status), `trap` (it must trap with a message
//! containing this text), `app-stdout.expected` (what the app itself prints),
//! `app` (instead of `app.wat`: the path of a shared app such as a C
//! program under `tests/apps/c/`, relative to the repository root),
//! `libs` (the script's user libraries, `name=path` per line),
//! `report.engine.expected` (the report on the engine target where it
//! differs: there one library instance serves bind time and run time, and
//! function-level rows follow whamm's engine target, see `events.md`),
//! `engine-only` (an engine event: the rewriting target must refuse the
//! script; the file says why), `error` (the script must be refused, by
//! the front end or by the target when it meets the app, with a message
//! containing every line of this file; no report is compared).

mod common;

use common::engine_spelling;
use std::path::{Path, PathBuf};
use wham_host::{Outcome, RunOptions};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

fn read_opt(dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(name)).ok()
}

/// The report with the `id` column (our own addresses) dropped from rows;
/// what the app itself printed to the same stream before it is left out.
pub fn normalize_report(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_rows = false;
    let text = text.find("\n=====").map_or(text, |at| &text[at..]);
    for line in text.trim().lines() {
        if line.starts_with("id, id_type,") {
            in_rows = true;
            out.push(line.to_string());
            continue;
        }
        if in_rows && !line.starts_with('=') {
            // `(8; 9), (global_id; global_id), ...` or `4, memaddr, ...`
            let rest = if line.starts_with('(') {
                line.split_once("), ").map(|(_, r)| r).unwrap_or(line)
            } else {
                line.split_once(", ").map(|(_, r)| r).unwrap_or(line)
            };
            out.push(rest.to_string());
        } else {
            in_rows = line.starts_with("id, id_type,") && in_rows;
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn load_app(dir: &Path) -> Vec<u8> {
    // `app`: the path of a shared app, relative to the repository root.
    if let Some(path) = read_opt(dir, "app") {
        let p = cases_dir().join("../..").join(path.trim());
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        return wat::parse_bytes(&bytes).unwrap().into_owned();
    }
    for name in ["app.wat", "app.wasm"] {
        let p = dir.join(name);
        if p.exists() {
            let bytes = std::fs::read(&p).unwrap();
            return wat::parse_bytes(&bytes).unwrap().into_owned();
        }
    }
    panic!("{}: no app.wat or app.wasm", dir.display());
}

/// `libs`: one `name=path` per line (path relative to the case), the
/// user libraries of the script.
fn libs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    read_opt(dir, "libs")
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (name, path) = l.split_once('=').expect("name=path");
            let bytes = std::fs::read(dir.join(path.trim())).unwrap();
            (
                name.trim().to_string(),
                wat::parse_bytes(&bytes).unwrap().into_owned(),
            )
        })
        .collect()
}

fn run(bytes: &[u8], args: &[String], libs: &[(String, Vec<u8>)]) -> wham_host::RunResult {
    let options = RunOptions {
        args: std::iter::once("app".to_string())
            .chain(args.iter().cloned())
            .collect(),
        finally: Some(wham_rewrite::FLUSH_EXPORT.to_string()),
        capture: true,
        libs: libs.to_vec(),
        ..Default::default()
    };
    wham_host::run(bytes, &options).expect("the module loads")
}

/// Which target a case runs on.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Rewrite { no_batching: bool },
    Engine(wham_engine::Tier),
}

/// Ok(None) when the case passed, Ok(Some(why)) when the target rejects
/// the script at compile time (features it lacks, listed in the docs).
fn check_case(dir: &Path, target: Target) -> Result<Option<String>, String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let src = std::fs::read_to_string(dir.join("script.mm"))
        .map_err(|e| format!("{name}: script.mm: {e}"))?;
    let (checked, diags) = wham_lang::compile(&src);
    if let Some(expected) = read_opt(dir, "error") {
        return check_refusal(dir, &name, target, &src, checked, diags, &expected);
    }
    let checked = checked.ok_or_else(|| {
        format!(
            "{name}: script does not compile:\n{}",
            diags.render_plain("script.mm", &src)
        )
    })?;
    let app = load_app(dir);
    let args: Vec<String> = read_opt(dir, "args")
        .map(|a| a.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let plain = run(&app, &args, &[]);
    let libs = libs(dir);
    let user_libs = libs
        .iter()
        .map(|(n, b)| wham_rewrite::UserLib {
            name: n.clone(),
            module: n.clone(),
            bytes: b.clone(),
        })
        .collect();
    let instrumented = match target {
        Target::Rewrite { no_batching } => {
            let options = wham_rewrite::Options {
                report_to: wham_rewrite::ReportTo::Stderr,
                libs: user_libs,
                evaluator: (!libs.is_empty()).then(|| {
                    Box::new(wham_engine::evaluator::Evaluator::for_libs(&libs).unwrap())
                        as Box<dyn wham_rewrite::LibEvaluator>
                }),
                no_batching,
                ..Default::default()
            };
            let out = match wham_rewrite::instrument(&checked, &app, &options) {
                Ok(out) => out,
                Err(wham_rewrite::Error::Script(items)) => {
                    let whats: Vec<String> = items.into_iter().map(|u| u.what).collect();
                    return Ok(Some(whats.join("; ")));
                }
                Err(e) => return Err(format!("{name}: instrument: {e}")),
            };
            run(&out.bytes, &args, &libs)
        }
        Target::Engine(tier) => {
            let options = wham_rewrite::Options {
                report_to: wham_rewrite::ReportTo::Stderr,
                libs: user_libs,
                ..Default::default()
            };
            let monitor = match wham_engine::build(&checked, &options) {
                Ok(m) => m.bytes,
                Err(wham_rewrite::Error::Script(items)) => {
                    let whats: Vec<String> = items.into_iter().map(|u| u.what).collect();
                    return Ok(Some(whats.join("; ")));
                }
                Err(e) => return Err(format!("{name}: monitor: {e}")),
            };
            let options = RunOptions {
                args: std::iter::once("app".to_string())
                    .chain(args.iter().cloned())
                    .collect(),
                capture: true,
                libs: libs.clone(),
                ..Default::default()
            };
            wham_engine::run_with_monitor(&app, &monitor, options, tier)
                .map_err(|e| format!("{name}: engine ({tier}): {e}"))?
                .result
        }
    };

    if instrumented.stdout != plain.stdout {
        return Err(format!(
            "{name}: the app's stdout changed under instrumentation:\n--- plain\n{}\n--- instrumented\n{}",
            String::from_utf8_lossy(&plain.stdout),
            String::from_utf8_lossy(&instrumented.stdout)
        ));
    }
    if let Some(expected) = read_opt(dir, "app-stdout.expected")
        && expected != String::from_utf8_lossy(&plain.stdout)
    {
        return Err(format!(
            "{name}: the app itself printed something else than app-stdout.expected"
        ));
    }
    match (&plain.outcome, &instrumented.outcome) {
        (Outcome::Exited(a), Outcome::Exited(b)) if a == b => {
            let want: i32 = read_opt(dir, "exit").map_or(0, |e| e.trim().parse().unwrap());
            if *a != want {
                return Err(format!("{name}: the app exited with {a}, expected {want}"));
            }
            if dir.join("trap").exists() {
                return Err(format!("{name}: expected a trap, the app exited with {a}"));
            }
        }
        (Outcome::Trapped(a), Outcome::Trapped(b)) => {
            let want =
                read_opt(dir, "trap").ok_or_else(|| format!("{name}: unexpected trap: {a}"))?;
            for msg in [a, b] {
                if !msg.contains(want.trim()) {
                    return Err(format!(
                        "{name}: trap message `{msg}` lacks `{}`",
                        want.trim()
                    ));
                }
            }
        }
        (a, b) => {
            return Err(format!(
                "{name}: ended differently: plain {a:?}, instrumented {b:?}"
            ));
        }
    }
    // The engine keeps one library instance for bind-time and run-time
    // calls, so library state can differ: `report.engine.expected`.
    let expected = match target {
        Target::Engine(_) => read_opt(dir, "report.engine.expected")
            .or_else(|| read_opt(dir, "report.expected").map(|r| engine_spelling(&r))),
        Target::Rewrite { .. } => read_opt(dir, "report.expected"),
    }
    .ok_or_else(|| format!("{name}: no report.expected"))?;
    let got = String::from_utf8_lossy(&instrumented.stderr);
    if normalize_report(&got) != normalize_report(&expected) {
        let on = match target {
            Target::Engine(tier) => format!(" on the {tier} tier"),
            Target::Rewrite { .. } => String::new(),
        };
        return Err(format!(
            "{name}: report differs{on} (id column ignored)\n--- expected\n{}\n--- got\n{}",
            normalize_report(&expected),
            normalize_report(&got)
        ));
    }
    Ok(None)
}

/// An `error` case: the front end or the target must refuse the script
/// with a message that holds every line of `expected`.
fn check_refusal(
    dir: &Path,
    name: &str,
    target: Target,
    src: &str,
    checked: Option<wham_lang::CheckedScript<'static>>,
    diags: wham_lang::Diagnostics,
    expected: &str,
) -> Result<Option<String>, String> {
    let message = match checked {
        None => diags.render_plain("script.mm", src),
        Some(checked) => {
            let app = load_app(dir);
            let options = wham_rewrite::Options::default();
            let refused = match target {
                Target::Rewrite { .. } => wham_rewrite::instrument(&checked, &app, &options)
                    .err()
                    .map(|e| e.to_string()),
                // The engine meets the app when it binds the monitor.
                Target::Engine(tier) => match wham_engine::check_app_fit(&checked, &app)
                    .and_then(|()| wham_engine::build(&checked, &options))
                {
                    Err(e) => Some(e.to_string()),
                    Ok(monitor) => {
                        let run = RunOptions {
                            capture: true,
                            ..Default::default()
                        };
                        // Or stops the run when the monitor asks for it.
                        match wham_engine::run_with_monitor(&app, &monitor.bytes, run, tier) {
                            Err(e) => Some(e.to_string()),
                            Ok(r) => match r.result.outcome {
                                Outcome::Trapped(msg) => Some(msg),
                                Outcome::Exited(_) => None,
                            },
                        }
                    }
                },
            };
            refused.ok_or_else(|| format!("{name}: the script was accepted, expected an error"))?
        }
    };
    for line in expected.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !message.contains(line) {
            return Err(format!(
                "{name}: the error lacks `{line}`; it was:\n{message}"
            ));
        }
    }
    Ok(None)
}

#[test]
fn conformance_suite() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/conformance exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("script.mm").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no conformance cases found");
    // Every case both with counters batched per basic block (the default)
    // and updated at every instruction.
    let failures: Vec<String> = dirs
        .iter()
        .flat_map(|d| {
            [
                (d, check_case(d, Target::Rewrite { no_batching: false })),
                (
                    d,
                    check_case(d, Target::Rewrite { no_batching: true })
                        .map_err(|e| format!("(no batching) {e}")),
                ),
            ]
        })
        .filter_map(|(d, r)| match r {
            Ok(None) if d.join("engine-only").exists() => Some(format!(
                "{}: engine-only, but the rewriting target accepted it",
                d.display()
            )),
            Ok(None) => None,
            // Engine events: the rewriting target must refuse them.
            Ok(Some(_)) if d.join("engine-only").exists() => None,
            Ok(Some(why)) => Some(format!("{}: rejected: {why}", d.display())),
            Err(e) => Some(e),
        })
        .collect();
    println!(
        "{} conformance cases, {} failed",
        dirs.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The same suite on the engine target, on each of its tiers: the
/// unmodified app beside the script's monitor module. A case whose script
/// uses a feature this target lacks must be rejected at compile time
/// (never silently dropped); those are listed, and the list is pinned so
/// it only shrinks on purpose.
#[test]
fn conformance_suite_on_the_fused_tier() {
    engine_suite(wham_engine::Tier::Fused);
}

#[test]
fn conformance_suite_on_the_weave_tier() {
    engine_suite(wham_engine::Tier::Weave);
}

#[test]
fn conformance_suite_on_the_host_tier() {
    engine_suite(wham_engine::Tier::Host);
}

fn engine_suite(tier: wham_engine::Tier) {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/conformance exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("script.mm").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut rejected = Vec::new();
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        match check_case(d, Target::Engine(tier)) {
            Ok(None) => {}
            Ok(Some(why)) => rejected.push((name, why)),
            Err(e) => failures.push(e),
        }
    }
    println!(
        "{} cases on the engine target's {tier} tier: {} passed, {} rejected at compile time, {} failed",
        dirs.len(),
        dirs.len() - rejected.len() - failures.len(),
        rejected.len(),
        failures.len()
    );
    for (name, why) in &rejected {
        println!("  rejected {name}: {why}");
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    let names: Vec<&str> = rejected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names, ENGINE_REJECTS,
        "the cases the engine target rejects changed"
    );
}

/// Cases using features the engine target does not have yet
/// (`docs/src/engine.md` lists them).
const ENGINE_REJECTS: &[&str] = &[
    "alt_call_by_id",
    "alt_replace",
    "br_table_targets_at_run_time",
    "core_memory_shadow",
    "dup_at_mirror",
    "memcpy_app_memory",
    "memid_user_library",
    "page_size_bytes",
    "resolve_funcref_exported_table",
    "strings_runtime",
];

#[test]
fn normalize_drops_only_the_id_column() {
    let text =
        "\n===\nid, id_type, name\n4, memaddr, x, 1\n(8; 9), (global_id; global_id), t, (1; 2)\n";
    assert_eq!(
        normalize_report(text),
        "===\nid, id_type, name\nmemaddr, x, 1\n(global_id; global_id), t, (1; 2)"
    );
}

/// Report rows without the `id` column, for comparing runs.
fn rows_without_ids(report: &[u8]) -> String {
    normalize_report(&String::from_utf8_lossy(report))
}

/// Counting once per block must never change a report: every example tool
/// on every C program gives the same report both ways (these caught a
/// shared-slot and a loop-header bug that small cases missed).
#[test]
fn batching_never_changes_a_report() {
    let repo = cases_dir().join("../..");
    let apps = ["fib", "sieve", "matmul", "sort", "dispatch"];
    let tools = ["icount", "hotness", "branches", "call_graph"];
    let mut failures = Vec::new();
    for tool in tools {
        let src = std::fs::read_to_string(repo.join(format!("examples/{tool}.mm"))).unwrap();
        let checked = wham_lang::compile(&src).0.expect("example compiles");
        for app in apps {
            let bytes = std::fs::read(repo.join(format!("tests/apps/c/{app}.wasm"))).unwrap();
            let report = |no_batching: bool| {
                let options = wham_rewrite::Options {
                    report_to: wham_rewrite::ReportTo::Stderr,
                    no_batching,
                    ..Default::default()
                };
                let out = wham_rewrite::instrument(&checked, &bytes, &options).unwrap();
                rows_without_ids(&run(&out.bytes, &[], &[]).stderr)
            };
            if report(false) != report(true) {
                failures.push(format!("{tool} on {app}"));
            }
        }
    }
    assert!(failures.is_empty(), "batching changed: {failures:?}");
}
