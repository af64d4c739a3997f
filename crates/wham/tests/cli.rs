//! The `wham` binary as a user runs it: exit codes, where output goes, and
//! clear messages for every kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wham(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wham"))
        .args(args)
        .output()
        .expect("run wham")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch file under the target directory, unique per test.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write scratch file");
    path
}

#[test]
fn check_accepts_every_example_tool() {
    for entry in std::fs::read_dir(repo().join("examples")).expect("examples dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "mm") {
            let out = wham(&["check", path.to_str().unwrap()]);
            assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
            assert!(stdout(&out).contains(": ok:"), "{}", stdout(&out));
        }
    }
}

#[test]
fn check_lists_expanded_probes() {
    let path = repo().join("examples/branches.mm");
    let out = wham(&["check", "--list", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for id in [
        "0_wasm:opcode:if:before",
        "1_wasm:opcode:br_if:before",
        "2_wasm:opcode:br_table:before",
    ] {
        assert!(text.contains(id), "missing {id} in:\n{text}");
    }
}

#[test]
fn check_accepts_whamm_script_flag() {
    let path = repo().join("examples/icount.mm");
    let out = wham(&["check", "--script", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn errors_are_rendered_with_location_and_exit_1() {
    let path = scratch(
        "bad.mm",
        b"var count: u32;\nwasm:opcode:call:before {\n    count = count + fid as i32;\n}\n",
    );
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E0301]: mismatched types: `u32` + `i32`"),
        "{err}"
    );
    assert!(err.contains("bad.mm:3:21"), "{err}");
    assert!(err.contains("help: add `as u32`"), "{err}");
    assert!(err.contains("1 error"), "{err}");
}

#[test]
fn several_errors_in_one_run() {
    let path = scratch(
        "several.mm",
        b"wasm:opcode:br_fi:before { }\nwasm:opcode:call:before { x = 1; }\nwasm:opcode:nop:entry { }\n",
    );
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("3 errors"), "{err}");
    assert!(
        err.contains("br_fi")
            && err.contains("cannot find variable `x`")
            && err.contains("no mode `entry`"),
        "{err}"
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let path = scratch(
        "warn.mm",
        b"wasm:opcode:call:before {\n    var unused: u32 = 1;\n}\n",
    );
    let out = wham(&["check", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("warning[W0001]: unused variable `unused`"));
    assert!(stdout(&out).contains("1 warning"));
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = wham(&["check", "/nonexistent/dir/script.mm"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: cannot read `/nonexistent/dir/script.mm`"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn directory_is_a_clear_error() {
    let dir = repo().join("examples");
    let out = wham(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
}

#[test]
fn non_utf8_file_is_a_clear_error() {
    let path = scratch("latin1.mm", b"wasm:begin { var s: str = \"caf\xe9\"; }\n");
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not UTF-8 text (invalid byte at offset 30)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_file_needs_a_probe() {
    let path = scratch("empty.mm", b"");
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the script has no probe"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn binary_garbage_is_an_error_not_a_crash() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 & 0x7f)
        .collect();
    let path = scratch("garbage.mm", &garbage);
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn huge_file_is_refused() {
    let big = vec![b' '; wham_lang::MAX_SCRIPT_BYTES + 1];
    let path = scratch("huge.mm", &big);
    let out = wham(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("are refused"), "{}", stderr(&out));
    let _ = std::fs::remove_file(path);
}

#[test]
fn info_lists_an_event_with_vars_and_functions() {
    let out = wham(&["info", "-r", "wasm:opcode:call:before", "-v", "-f"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "call",
        "before",
        "imm0",
        "target_fn_name",
        "alt_call_by_name",
        "fid",
        "static",
        "dynamic",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
}

#[test]
fn info_shows_derived_variables() {
    let out = wham(&["info", "-r", "wasm:opcode:i32.store:before", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("effective_addr") && text.contains("addr + offset"),
        "{text}"
    );
}

#[test]
fn info_on_simd_glob() {
    let out = wham(&["info", "-r", "wasm:opcode:i32x4.*:before"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("i32x4.add"), "{}", stdout(&out));
}

#[test]
fn info_with_typo_suggests_the_event() {
    let out = wham(&["info", "-r", "wasm:opcode:br_fi:before"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `br_if`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn info_with_disallowed_mode_lists_the_allowed_ones() {
    let out = wham(&["info", "-r", "wasm:opcode:end:alt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("before, after"), "{}", stderr(&out));
}

/// Exit statuses as documented: a usage error is the user's (1), help and
/// version succeed (0); 2 is kept for wham's own bugs.
#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let s = scratch("usage.mm", b"wasm:opcode:nop:before { }");
    let s = s.to_str().unwrap();
    for args in [
        &[][..],
        &["instr", "-s", s][..],
        &["run"][..],
        &["run", "app.wasm"][..],
        &["check", "--no-such-flag", s][..],
        &["frobnicate"][..],
    ] {
        let out = wham(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "wham {args:?}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).is_empty(), "wham {args:?} said nothing");
    }
    for args in [&["--help"][..], &["run", "--help"][..], &["--version"][..]] {
        let out = wham(args);
        assert_eq!(out.status.code(), Some(0), "wham {args:?}");
        assert!(!stdout(&out).is_empty());
    }
}

#[test]
fn monitor_says_what_it_wrote_unless_quiet() {
    let s = scratch("monitor_says.mm", b"wasm:opcode:nop:before { }");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    let o = dir.join("monitor_says.wasm");
    let out = wham(&[
        "monitor",
        "-s",
        s.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(&format!("wrote {}: a monitor with", o.display())),
        "{}",
        stderr(&out)
    );
    let quiet = wham(&[
        "monitor",
        "-q",
        "-s",
        s.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
    ]);
    assert!(
        quiet.status.success() && quiet.stderr.is_empty(),
        "{}",
        stderr(&quiet)
    );
}

/// At a terminal the report is summarized and the CSV kept in a file;
/// `--report-format summary` asks for that anywhere. The file is exactly
/// the CSV a `--report-format csv` run prints, on both targets.
#[test]
fn a_summarized_report_keeps_the_exact_csv_in_a_file() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests/summary");
    std::fs::create_dir_all(&dir).unwrap();
    let script = repo().join("examples/branches.mm");
    let app = repo().join("tests/apps/c/sort.wasm");
    for target in ["engine", "rewrite"] {
        let run = |format: &str| {
            Command::new(env!("CARGO_BIN_EXE_wham"))
                .current_dir(&dir)
                .args(["run", "--target", target, "--report-format", format, "-s"])
                .arg(&script)
                .arg(&app)
                .output()
                .unwrap()
        };
        let csv = run("csv");
        let summary = run("summary");
        assert!(summary.status.success(), "{target}: {}", stderr(&summary));
        let kept = std::fs::read_to_string(dir.join("wham-report.csv")).unwrap();
        assert!(kept.contains("id, id_type, name"), "{target}: {kept}");
        assert!(
            stdout(&csv).ends_with(&kept),
            "{target}: the kept CSV differs"
        );
        let text = stdout(&summary);
        assert!(
            text.contains("not zero; the full CSV is in wham-report.csv")
                && text.contains("taken (u32):")
                && text.contains("main (fid "),
            "{target}: {text}"
        );
        // The program's own output still comes first; no CSV on screen.
        assert!(text.starts_with("sorted "), "{target}: {text}");
        assert!(!text.contains("id, id_type"), "{target}: {text}");
        std::fs::remove_file(dir.join("wham-report.csv")).unwrap();
    }
}
