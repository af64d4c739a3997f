//! `wham instr` and `wham run` as a user runs them: outputs that validate
//! and run, the app's exit status passed through, and a clear message, a
//! non-zero exit and nothing written for every kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wham(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wham"))
        .args(args)
        .output()
        .expect("run wham")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-instrument")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, contents).expect("write");
    p.to_str().unwrap().to_string()
}

const COUNT_NOPS: &str = "report var nops: u32;\nwasm:opcode:nop:before { nops++; }\n";
const APP: &str = r#"(module (func (export "_start") nop nop))"#;

#[test]
fn instr_writes_a_module_that_validates_and_runs() {
    let d = scratch_dir("instr_ok");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    let o = d.join("out.wasm");
    let out = wham(&["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&o).expect("output written");
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .expect("output validates");
    let run = wham_host::run(
        &bytes,
        &wham_host::RunOptions {
            args: vec!["out".into()],
            capture: true,
            ..Default::default()
        },
    )
    .expect("runs");
    assert_eq!(run.outcome, wham_host::Outcome::Exited(0));
    // It says what it wrote, where, and how many sites it instrumented.
    assert_eq!(
        text(&out.stderr),
        format!("wrote {}: {a} instrumented at 2 sites\n", o.display())
    );
    let quiet = wham(&["instr", "-q", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()]);
    assert!(
        quiet.status.success() && quiet.stderr.is_empty(),
        "{}",
        text(&quiet.stderr)
    );
    let report = text(&run.stdout);
    assert!(report.contains("REPORT CSV FLUSH"), "{report}");
    assert!(
        report
            .trim_end()
            .ends_with("nops, u32, i32, script0, , , , , 2"),
        "{report}"
    );
}

#[test]
fn whamm_flag_spellings_are_accepted() {
    let d = scratch_dir("whamm_flags");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    let o = d.join("out.wasm");
    let out = wham(&[
        "instr",
        "--script",
        &s,
        "--app",
        &a,
        "--output-path",
        o.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(o.exists());
}

#[test]
fn run_prints_the_report_and_passes_the_exit_status_through() {
    let script = repo().join("examples/icount.mm");
    let app = repo().join("tests/apps/c/dispatch.wasm");
    let out = wham(&["run", "-s", script.to_str().unwrap(), app.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("total 2974\n"), "{stdout}");
    assert!(stdout.contains("count, u64, i64, script0"), "{stdout}");
}

#[test]
fn run_passes_arguments_and_sends_the_report_to_stderr_on_request() {
    let script = repo().join("examples/call_graph.mm");
    let app = repo().join("tests/apps/c/fib.wasm");
    let out = wham(&[
        "run",
        "--report-to",
        "stderr",
        "-s",
        script.to_str().unwrap(),
        app.to_str().unwrap(),
        "--",
        "10",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fib(10) = 55\n");
    assert!(
        text(&out.stderr).contains("edges, map<(u32,u32),u32>"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_trap_is_reported_with_exit_1_and_the_report_still_appears() {
    let d = scratch_dir("trap");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(
        &d,
        "app.wat",
        br#"(module (func $boom unreachable) (func (export "_start") nop call $boom))"#,
    );
    let out = wham(&["run", "-s", &s, &a]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("the app trapped"), "{err}");
    assert!(err.contains("unreachable"), "{err}");
    assert!(
        err.contains("boom"),
        "trap message names the function: {err}"
    );
    assert!(
        text(&out.stdout).contains("nops, u32, i32, script0, , , , , 1"),
        "{}",
        text(&out.stdout)
    );
}

fn assert_fails_without_output(args: &[&str], out_path: &Path, needles: &[&str]) {
    let out = wham(args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let err = text(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_path.exists(), "nothing may be written on failure");
    let tmp = PathBuf::from(format!("{}.wham-tmp", out_path.display()));
    assert!(!tmp.exists());
}

#[test]
fn missing_app_is_a_clear_error() {
    let d = scratch_dir("missing_app");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let o = d.join("out.wasm");
    let missing = d.join("nope.wasm");
    assert_fails_without_output(
        &[
            "instr",
            "-s",
            &s,
            "-a",
            missing.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ],
        &o,
        &["cannot read", "nope.wasm"],
    );
}

#[test]
fn malformed_module_is_a_clear_error() {
    let d = scratch_dir("malformed");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "bad.wasm", b"\0asm\x01\0\0\0\x01\x05garbage");
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["bad.wasm", "not a valid"],
    );
}

#[test]
fn invalid_wat_names_the_line() {
    let d = scratch_dir("bad_wat");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(
        &d,
        "bad.wat",
        b"(module\n  (func (export \"_start\") nop\n  (oops)))",
    );
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["--> ", "bad.wat:3:"],
    );
}

#[test]
fn invalid_module_that_parses_is_rejected_by_validation() {
    let d = scratch_dir("invalid");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(
        &d,
        "bad.wat",
        br#"(module (func (export "_start") i32.add drop))"#,
    );
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["not a valid WebAssembly module", "type mismatch"],
    );
}

#[test]
fn unsupported_module_features_are_named() {
    let d = scratch_dir("memory64");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(
        &d,
        "m64.wat",
        br#"(module (memory i64 1) (func (export "_start") nop))"#,
    );
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["memory64"],
    );
}

#[test]
fn script_features_this_target_lacks_get_a_located_diagnostic() {
    let d = scratch_dir("unsupported_script");
    let s = write(&d, "s.mm", b"use cache;\nwasm:opcode:else:alt {\n}\n");
    let a = write(&d, "app.wat", APP.as_bytes());
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["E0601", "else", "s.mm:2:1"],
    );
}

#[test]
fn bad_script_fails_before_reading_the_app() {
    let d = scratch_dir("bad_script");
    let s = write(&d, "s.mm", b"wasm:opcode:br_iff:before { }\n");
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &[
            "instr",
            "-s",
            &s,
            "-a",
            "missing.wasm",
            "-o",
            o.to_str().unwrap(),
        ],
        &o,
        &["br_if"],
    );
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let d = scratch_dir("unwritable");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    let o = d.join("no/such/dir/out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["cannot write"],
    );
}

#[test]
fn probes_matching_nothing_warn_but_succeed() {
    let d = scratch_dir("no_match");
    let s = write(&d, "s.mm", b"wasm:opcode:f64.sqrt:before { }\n");
    let a = write(&d, "app.wat", APP.as_bytes());
    let o = d.join("out.wasm");
    let out = wham(&["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("warning: no probe"),
        "{}",
        text(&out.stderr)
    );
    assert!(o.exists());
}

#[test]
fn a_library_without_entry_point_warns_and_exports_the_flush() {
    let d = scratch_dir("no_entry");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "lib.wat", br#"(module (func (export "work") nop))"#);
    let o = d.join("out.wasm");
    let out = wham(&["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("wham_flush"),
        "{}",
        text(&out.stderr)
    );
    let bytes = std::fs::read(&o).unwrap();
    let exports: Vec<String> = wasmparser::Parser::new(0)
        .parse_all(&bytes)
        .filter_map(|p| match p {
            Ok(wasmparser::Payload::ExportSection(r)) => Some(
                r.into_iter()
                    .map(|e| e.unwrap().name.to_string())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(exports.contains(&"wham_flush".to_string()), "{exports:?}");
    assert!(exports.contains(&"work".to_string()), "{exports:?}");
}

fn custom_sections(bytes: &[u8]) -> Vec<String> {
    wasmparser::Parser::new(0)
        .parse_all(bytes)
        .filter_map(|p| match p {
            Ok(wasmparser::Payload::CustomSection(c)) => Some(c.name().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn custom_sections_survive_and_stale_dwarf_is_dropped_with_a_warning() {
    let d = scratch_dir("custom_sections");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(
        &d,
        "app.wat",
        br#"(module (@custom "mine" "kept") (@custom ".debug_info" "stale") (func $main (export "_start") nop))"#,
    );
    let o = d.join("out.wasm");
    let out = wham(&["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("DWARF"), "{}", text(&out.stderr));
    let names = custom_sections(&std::fs::read(&o).unwrap());
    assert!(names.contains(&"mine".to_string()), "{names:?}");
    assert!(names.contains(&"name".to_string()), "{names:?}");
    assert!(!names.contains(&".debug_info".to_string()), "{names:?}");
    // A run writes no file, so there is nothing to warn about.
    let run = wham(&["run", "--target", "rewrite", "-s", &s, &a]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        !text(&run.stderr).contains("DWARF"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn run_links_user_libraries_and_names_missing_ones() {
    let d = scratch_dir("user_libs");
    let lib = write(
        &d,
        "adder.wat",
        br#"(module (global $n (mut i32) (i32.const 0)) (func (export "add") (param i32) (result i32) (global.set $n (i32.add (global.get $n) (local.get 0))) (global.get $n)))"#,
    );
    let s = write(
        &d,
        "s.mm",
        b"use adder;\nreport var last: i32;\nwasm:opcode:nop:before { last = adder.add(5); }\n",
    );
    let a = write(&d, "app.wat", APP.as_bytes());
    let spec = format!("adder={lib}");
    let out = wham(&["run", "--user-libs", &spec, "-s", &s, &a]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("last, i32, i32, script0, , , , , 10"),
        "{}",
        text(&out.stdout)
    );

    // Without the library: a located error that says how to give it.
    let o = d.join("out.wasm");
    assert_fails_without_output(
        &["instr", "-s", &s, "-a", &a, "-o", o.to_str().unwrap()],
        &o,
        &["--user-libs adder=", "s.mm:3:"],
    );
    // A function the library does not export.
    let s2 = write(
        &d,
        "s2.mm",
        b"use adder;\nwasm:opcode:nop:before { adder.sub(1); }\n",
    );
    assert_fails_without_output(
        &[
            "instr",
            "--user-libs",
            &spec,
            "-s",
            &s2,
            "-a",
            &a,
            "-o",
            o.to_str().unwrap(),
        ],
        &o,
        &["no function `sub`", "add"],
    );
    // A library path that does not exist.
    assert_fails_without_output(
        &[
            "instr",
            "--user-libs",
            "adder=/no/such.wasm",
            "-s",
            &s,
            "-a",
            &a,
            "-o",
            o.to_str().unwrap(),
        ],
        &o,
        &["cannot read", "/no/such.wasm"],
    );
}

#[test]
fn the_report_goes_to_a_file_or_where_wham_report_says() {
    let d = scratch_dir("report_destination");
    let s = write(&d, "s.mm", COUNT_NOPS.as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    let out_dir = d.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let dir_flag = format!("{}::.", out_dir.display());
    let row = "nops, u32, i32, script0, , , , , 2";

    // a file chosen when instrumenting, in the directory the app sees
    let out = wham(&[
        "run",
        "--report-to",
        "report.csv",
        "--dir",
        &dir_flag,
        "-s",
        &s,
        &a,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stdout).contains("REPORT"),
        "{}",
        text(&out.stdout)
    );
    let file = std::fs::read_to_string(out_dir.join("report.csv")).expect("report file");
    assert!(file.contains(row), "{file}");

    // WHAM_REPORT in the app's environment overrides it: stderr ...
    let out = wham(&[
        "run",
        "--report-to",
        "report.csv",
        "--env",
        "WHAM_REPORT=stderr",
        "-s",
        &s,
        &a,
    ]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains(row), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains(row));

    // ... or another file
    let out = wham(&[
        "run",
        "--env",
        "WHAM_REPORT=other.csv",
        "--dir",
        &dir_flag,
        "-s",
        &s,
        &a,
    ]);
    assert!(out.status.success());
    assert!(!text(&out.stdout).contains(row));
    let file = std::fs::read_to_string(out_dir.join("other.csv")).expect("report file");
    assert!(file.contains(row), "{file}");

    // no directory to create the file in: the report is not lost (stderr)
    let out = wham(&["run", "--report-to", "report.csv", "-s", &s, &a]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains(row), "{}", text(&out.stderr));
}
