//! The engine target on real programs and bad input: the same report as
//! the rewriting target for every example tool on every C program; the
//! monitor cannot change the app (its exported memory, globals and tables
//! and its output are identical at exit); clear messages for bad monitors
//! and apps.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wham_engine::Tier;
use wham_host::RunOptions;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const APPS: [&str; 5] = ["fib", "sieve", "matmul", "sort", "dispatch"];
const TOOLS: [&str; 4] = ["icount", "hotness", "branches", "call_graph"];

/// Report rows without the `id` column (our own addresses).
fn rows(report: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(report)
        .lines()
        .skip_while(|l| !l.starts_with("id, id_type"))
        .map(|l| l.split_once(", ").map_or(l, |(_, r)| r).to_string())
        .collect()
}

fn app(name: &str) -> Vec<u8> {
    std::fs::read(repo().join(format!("tests/apps/c/{name}.wasm"))).unwrap()
}

fn compile(src: &str) -> wham_lang::CheckedScript<'static> {
    let (checked, diags) = wham_lang::compile(src);
    checked.unwrap_or_else(|| panic!("{}", diags.render_plain("script.mm", src)))
}

fn options(snapshot: bool) -> RunOptions {
    RunOptions {
        args: vec!["app".into()],
        capture: true,
        snapshot,
        ..Default::default()
    }
}

fn on_engine(
    script: &wham_lang::CheckedScript<'_>,
    app: &[u8],
    tier: Tier,
) -> wham_host::RunResult {
    let monitor = wham_engine::build(
        script,
        &wham_rewrite::Options {
            report_to: wham_rewrite::ReportTo::Stderr,
            ..Default::default()
        },
    )
    .expect("monitor builds")
    .bytes;
    let mut result = wham_engine::run_with_monitor(app, &monitor, options(true), tier)
        .unwrap_or_else(|e| panic!("runs on the engine ({tier}): {e}"))
        .result;
    // What the engine adds to the program (its own state) is not the app's.
    result.snapshot.retain(|(n, _)| !n.starts_with("wham:"));
    result
}

#[test]
fn every_example_reports_the_same_on_both_targets() {
    let mut failures = Vec::new();
    for tool in TOOLS {
        let src = std::fs::read_to_string(repo().join(format!("examples/{tool}.mm"))).unwrap();
        let script = compile(&src);
        for name in APPS {
            let bytes = app(name);
            let rewritten = wham_rewrite::instrument(
                &script,
                &bytes,
                &wham_rewrite::Options {
                    report_to: wham_rewrite::ReportTo::Stderr,
                    ..Default::default()
                },
            )
            .unwrap();
            let mut opts = options(false);
            opts.finally = Some(wham_rewrite::FLUSH_EXPORT.into());
            let rw = wham_host::run(&rewritten.bytes, &opts).unwrap();
            for tier in Tier::ALL {
                let en = on_engine(&script, &bytes, tier);
                // The same rows, `probe_id` spelled as each target spells it.
                let rewritten_rows = common::engine_spelling(&String::from_utf8_lossy(&rw.stderr));
                let (a, b) = (rows(rewritten_rows.as_bytes()), rows(&en.stderr));
                if a.len() < 2 || a != b {
                    failures.push(format!(
                        "{tool} on {name}: rewrite {} rows, engine ({tier}) {} rows",
                        a.len(),
                        b.len()
                    ));
                }
                if rw.stdout != en.stdout || rw.outcome != en.outcome {
                    failures.push(format!(
                        "{tool} on {name} ({tier}): the app's output or exit differs"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A monitor that writes to its own state at every instruction: globals,
/// per-site variables, a map keyed by strings and tuples.
const HEAVY_WRITER: &str = r#"
report var count: u64;
var seen: map<(u32, u32), u64>;
var names: map<str, u32>;
wasm:opcode:*:before {
    report unshared var here: u64;
    count++;
    here = here + count;
    seen[(fid, pc)] = seen[(fid, pc)] + 1;
    names[fname]++;
}
wasm:func:entry { names["entry"]++; }
"#;

/// `bytes` with every memory, global and table exported as well (under
/// `all:<kind><n>`), so a snapshot at exit sees the app's whole state,
/// not only what it chose to export.
fn export_everything(bytes: &[u8]) -> Vec<u8> {
    use wasm_encoder::{ExportKind, ExportSection, Module, RawSection};
    use wasmparser::{Parser, Payload, TypeRef};
    let (mut memories, mut globals, mut tables) = (0u32, 0u32, 0u32);
    let mut exports = Vec::new();
    let mut sections = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.unwrap();
        match &payload {
            Payload::ImportSection(r) => {
                for imp in r.clone().into_imports() {
                    match imp.unwrap().ty {
                        TypeRef::Memory(_) => memories += 1,
                        TypeRef::Global(_) => globals += 1,
                        TypeRef::Table(_) => tables += 1,
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(r) => memories += r.count(),
            Payload::GlobalSection(r) => globals += r.count(),
            Payload::TableSection(r) => tables += r.count(),
            Payload::ExportSection(r) => {
                for e in r.clone() {
                    let e = e.unwrap();
                    exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            sections.push((id, range));
        }
    }
    assert!(
        sections.iter().any(|(id, _)| *id == 7),
        "the app has exports"
    );
    let mut module = Module::new();
    for (id, range) in sections {
        if id != 7 {
            module.section(&RawSection {
                id,
                data: &bytes[range],
            });
            continue;
        }
        let mut out = ExportSection::new();
        for (name, kind, index) in &exports {
            let kind = match kind {
                wasmparser::ExternalKind::Func => ExportKind::Func,
                wasmparser::ExternalKind::Memory => ExportKind::Memory,
                wasmparser::ExternalKind::Global => ExportKind::Global,
                wasmparser::ExternalKind::Table => ExportKind::Table,
                _ => ExportKind::Tag,
            };
            out.export(name, kind, *index);
        }
        for (kind, count, tag) in [
            (ExportKind::Memory, memories, "memory"),
            (ExportKind::Global, globals, "global"),
            (ExportKind::Table, tables, "table"),
        ] {
            for i in 0..count {
                out.export(&format!("all:{tag}{i}"), kind, i);
            }
        }
        module.section(&out);
    }
    module.finish()
}

#[test]
fn the_monitor_cannot_change_the_app() {
    let mut scripts: Vec<(String, String)> = TOOLS
        .iter()
        .map(|t| {
            let src = std::fs::read_to_string(repo().join(format!("examples/{t}.mm"))).unwrap();
            (t.to_string(), src)
        })
        .collect();
    scripts.push(("heavy writer".into(), HEAVY_WRITER.into()));
    let mut tables = 0;
    for name in APPS {
        let bytes = export_everything(&app(name));
        let plain = wham_host::run(&bytes, &options(true)).unwrap();
        let seen: Vec<&str> = plain.snapshot.iter().map(|(n, _)| n.as_str()).collect();
        for part in ["all:memory0", "all:global0"] {
            assert!(seen.contains(&part), "{name}: {part} in {seen:?}");
        }
        tables += seen.iter().filter(|n| n.starts_with("all:table")).count();
        for (tool, src) in &scripts {
            for tier in Tier::ALL {
                let watched = on_engine(&compile(src), &bytes, tier);
                assert_eq!(watched.outcome, plain.outcome, "{tool} on {name} ({tier})");
                assert_eq!(
                    watched.stdout, plain.stdout,
                    "{tool} on {name} ({tier}): the app's output"
                );
                assert!(
                    watched.snapshot == plain.snapshot,
                    "{tool} on {name} ({tier}): the app's exported memory, globals or tables differ at exit"
                );
                assert!(
                    !rows(&watched.stderr).is_empty(),
                    "{tool} on {name} ({tier}): no report"
                );
            }
        }
    }
    assert!(tables > 0, "no C program has a table to compare");
}

fn wham(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wham"))
        .args(args)
        .output()
        .expect("run wham")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("engine")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p.to_str().unwrap().to_string()
}

const APP: &str = r#"(module (func (export "_start") nop nop))"#;

#[test]
fn monitor_command_writes_a_monitor_that_runs() {
    let d = scratch("monitor_command");
    let s = write(
        &d,
        "s.mm",
        b"report var nops: u32;\nwasm:opcode:nop:before { nops++; }\n",
    );
    let a = write(&d, "app.wat", APP.as_bytes());
    let m = d.join("mon.wasm");
    let out = wham(&["monitor", "-s", &s, "-o", m.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = wham(&["run", "--monitor", m.to_str().unwrap(), &a]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = rows(&out.stdout);
    assert_eq!(
        rows.last().unwrap(),
        "global_id, nops, u32, i32, script0, , , , , 2"
    );
    // The same through `--target engine` and `instr --wei`.
    let out = wham(&["run", "--target", "engine", "-s", &s, &a]);
    assert_eq!(
        super_rows(&out.stdout),
        "global_id, nops, u32, i32, script0, , , , , 2"
    );
    let w = d.join("wei.wasm");
    let out = wham(&["instr", "--wei", "-s", &s, "-o", w.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(w.exists());
}

fn super_rows(stdout: &[u8]) -> String {
    rows(stdout).last().cloned().unwrap_or_default()
}

/// A hand-written monitor: one export name that does not parse, one probe
/// that counts `nop`s, a bind-time call that traps when asked to.
fn hand_monitor(trap_at_bind: bool) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "$alloc") (param i32) (result i32) {trap} (local.get 0))
  (func (export "wasm:opcode:nop($alloc(fid))") (param i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "wasm:exit")
    ;; print "nops=" and the count as one digit
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (i32.store8 (i32.const 21) (i32.add (i32.const 48) (global.get $n)))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (data (i32.const 16) "nops=?\n"))"#,
        trap = if trap_at_bind { "unreachable" } else { "" }
    )
}

#[test]
fn the_hand_made_monitor_counts_on_every_tier() {
    let d = scratch("hand_monitor");
    let m = write(&d, "mon.wat", hand_monitor(false).as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    for tier in Tier::ALL {
        let out = wham(&["run", "--tier", &tier.to_string(), "--monitor", &m, &a]);
        assert!(out.status.success(), "{tier}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "nops=2\n", "{tier}");
    }
}

/// A monitor that is refused before anything runs: exit 1, the reason
/// on stderr, no output from the program or the monitor.
fn refused(d: &std::path::Path, monitor: &str, app: &str) -> String {
    let m = write(d, "mon.wat", monitor.as_bytes());
    let a = write(d, "app.wat", app.as_bytes());
    let out = wham(&["run", "--monitor", &m, &a]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    text(&out.stderr)
}

#[test]
fn an_unparsable_probe_export_is_an_error() {
    let d = scratch("unparsable");
    let monitor = hand_monitor(false).replacen(
        "(memory",
        r#"(func (export "wasm:opcode:nop(broken")) (memory"#,
        1,
    );
    let err = refused(&d, &monitor, APP);
    assert!(err.contains("`wasm:opcode:nop(broken`"), "{err}");
}

#[test]
fn a_monitor_naming_app_state_is_refused() {
    let d = scratch("monitor_imports_app");
    // The only way a module names another's state is by importing it.
    let monitor = hand_monitor(false).replacen(
        "(memory",
        r#"(import "env" "memory" (memory 1)) (memory"#,
        1,
    );
    let app = r#"(module (memory (export "memory") 1) (func (export "_start") nop))"#;
    let err = refused(&d, &monitor, app);
    assert!(
        err.contains("`env`.`memory`") && err.contains("does not provide"),
        "{err}"
    );
}

#[test]
fn an_app_reaching_monitor_state_is_refused() {
    let d = scratch("app_imports_monitor");
    for import in [
        r#"(import "wham:monitor" "wham:fuse:global0" (global (mut i32)))"#,
        r#"(import "wham:monitor" "$alloc" (func (param i32) (result i32)))"#,
        r#"(import "whamm:dyninstr" "remove_probe" (func (param i32)))"#,
    ] {
        let app = format!(r#"(module {import} (func (export "_start") nop nop))"#);
        let err = refused(&d, &hand_monitor(false), &app);
        assert!(err.contains("may not reach monitor state"), "{err}");
    }
}

#[test]
fn a_monitor_trapping_while_binding_is_an_error() {
    let d = scratch("bind_trap");
    let m = write(&d, "mon.wat", hand_monitor(true).as_bytes());
    let a = write(&d, "app.wat", APP.as_bytes());
    let out = wham(&["run", "--monitor", &m, &a]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("failed while attaching probes") && err.contains("unreachable"),
        "{err}"
    );
}

#[test]
fn missing_libraries_and_bad_apps_are_clear_errors() {
    let d = scratch("bad_input");
    let s = write(
        &d,
        "s.mm",
        b"use nolib;\nwasm:opcode:nop:before { nolib.f(); }\n",
    );
    let a = write(&d, "app.wat", APP.as_bytes());
    let out = wham(&["run", "--target", "engine", "-s", &s, &a]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--user-libs nolib="),
        "{}",
        text(&out.stderr)
    );
    // A monitor library that is not there.
    let m = write(&d, "mon.wat", hand_monitor(false).as_bytes());
    let group = format!("{m}+{}", d.join("missing.wasm").display());
    let out = wham(&["run", "--monitor", &group, &a]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("missing.wasm"),
        "{}",
        text(&out.stderr)
    );
    // An app that is not a module.
    let junk = write(&d, "junk.wasm", b"\0asm\x01\0\0\0\x01\xff");
    let out = wham(&["run", "--monitor", &m, &junk]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("junk.wasm"),
        "{}",
        text(&out.stderr)
    );
    // A script feature the engine target lacks is refused, with its place.
    let s = write(
        &d,
        "alt.mm",
        b"report var x: u32;\nwasm:opcode:nop:before { memcpy(0, 0, 0, 8, 4); }\n",
    );
    let out = wham(&["run", "--target", "engine", "-s", &s, &a]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("not supported on the engine target") && err.contains("alt.mm:2"),
        "{err}"
    );
}

/// `examples/coverage_dyninstr.mm`: the same coverage as without removal,
/// but each probe fires once per site.
#[test]
fn probes_removing_themselves_fire_once_per_site() {
    let example = std::fs::read_to_string(repo().join("examples/coverage_dyninstr.mm")).unwrap();
    let without_removal = example.replace("dyninstr.remove_probe(probe_id);", "");
    let counted = example.replace("reached = true;", "reached = true;\n    fires++;")
        + "report var fires: u64;\n";
    for (name, tier) in Tier::ALL.iter().flat_map(|t| [("fib", *t), ("sort", *t)]) {
        let bytes = app(name);
        let with = rows(&on_engine(&compile(&example), &bytes, tier).stderr);
        let without = rows(&on_engine(&compile(&without_removal), &bytes, tier).stderr);
        assert_eq!(
            with, without,
            "{name} ({tier}): coverage differs with removal"
        );
        let reached = with.iter().filter(|r| r.ends_with(", true")).count();
        assert!(reached > 10, "{name} ({tier}): {reached} sites reached");
        let counted = rows(&on_engine(&compile(&counted), &bytes, tier).stderr);
        let fires = counted
            .last()
            .unwrap()
            .rsplit(", ")
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            fires,
            reached.to_string(),
            "{name} ({tier}): probes fired more than once per site"
        );
    }
}

#[test]
fn removal_is_refused_on_the_rewriting_target() {
    let d = scratch("removal_rewrite");
    let a = write(&d, "app.wat", APP.as_bytes());
    let s = repo().join("examples/coverage_dyninstr.mm");
    let out = wham(&["run", "--target", "rewrite", "-s", s.to_str().unwrap(), &a]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("only removable") && text(&out.stderr).contains("engine"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_flag_export_names_agree() {
    assert_eq!(wham_engine::FLAGS_EXPORT, wham_host::PROBE_FLAGS_EXPORT);
    assert_eq!(
        wham_rewrite::app_memory_export(3),
        wham_host::app_memory_export(3)
    );
}

/// A monitor laid out as the original compiler lays them out for its
/// engine (`tests/monitors/original_layout.wat`): strings passed to a
/// bind-time call through `whamm_buffer`, a library linked by file name
/// (`+printer.wat`) whose memory the monitor imports, `wasm:exit`.
#[test]
fn a_monitor_in_the_original_layout_runs_with_its_library() {
    let d = scratch("original_layout");
    let app = write(
        &d,
        "app.wat",
        br#"(module
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $twice (param i32) (result i32) (call $inc (call $inc (local.get 0))))
  (func (export "_start") (drop (call $twice (i32.const 1)))))"#,
    );
    let monitors = repo().join("tests/monitors");
    let group = format!(
        "{}+{}",
        monitors.join("original_layout.wat").display(),
        monitors.join("printer.wat").display()
    );
    let out = wham(&["run", "--monitors", &group, &app]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // One name per call site, as `$alloc` recorded them at bind time:
    // two calls in `twice`, one in the unnamed `_start`.
    assert_eq!(text(&out.stdout), "twice\ntwice\n\n");
}

/// Code whose probes have all removed themselves runs in its plain
/// version: a trap there is still reported at the app's own place, and
/// the coverage is the same as without removal.
#[test]
fn a_trap_in_code_whose_probes_are_gone_is_placed_in_the_app() {
    let d = scratch("trap_after_removal");
    // The loop runs its plain version from its second entry on; the
    // third entry divides by zero (at pc 0x2c of $work, fid 0).
    let app = write(
        &d,
        "app.wat",
        br#"(module
  (func $work (param i32) (result i32) (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.div_u (i32.const 100) (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if 0 (i32.gt_s (local.get 0) (i32.const 1))))
    (local.get 1))
  (func (export "_start")
    (drop (call $work (i32.const 5)))
    (drop (call $work (i32.const 3)))
    (drop (call $work (i32.const 0)))))"#,
    );
    let expected = {
        let bytes = wat::parse_str(std::fs::read_to_string(&app).unwrap()).unwrap();
        // Where the division is: the offset of i32.div_u in $work's body.
        let body = wasmparser::Parser::new(0)
            .parse_all(&bytes)
            .find_map(|p| match p.unwrap() {
                wasmparser::Payload::CodeSectionEntry(b) => Some(b),
                _ => None,
            })
            .unwrap();
        let start = body.range().start;
        body.get_operators_reader()
            .unwrap()
            .into_iter_with_offsets()
            .map(Result::unwrap)
            .find(|(op, _)| matches!(op, wasmparser::Operator::I32DivU))
            .map(|(_, off)| (off - start) as u32)
            .unwrap()
    };
    let script = write(
        &d,
        "s.mm",
        b"use dyninstr;
report var place: u32;
wasm:opcode:*:before {
    report unshared var reached: bool;
    reached = true;
    dyninstr.remove_probe(probe_id);
}
wasm:trap { place = fid * 1000 + pc; }
",
    );
    for tier in Tier::ALL {
        let out = wham(&["run", "--tier", &tier.to_string(), "-s", &script, &app]);
        assert_eq!(out.status.code(), Some(1), "{tier}: {}", text(&out.stderr));
        let report = text(&out.stdout);
        assert!(
            report.contains(&format!("place, u32, i32, script0, , , , , {expected}")),
            "{tier}: expected place {expected}:\n{report}"
        );
    }
}

/// whamm's command lines name a file for its engine library
/// (`--user-libs dyninstr(whamm:dyninstr)=...`); the engine provides it and
/// says that the file is not used.
#[test]
fn a_file_given_for_the_engine_library_is_not_linked() {
    let d = scratch("engine_library_file");
    let s = write(
        &d,
        "s.mm",
        b"use dyninstr;\nwasm:opcode:nop:before {\n    report unshared var reached: bool;\n    reached = true;\n    dyninstr.remove_probe(probe_id);\n}\n",
    );
    let a = write(&d, "app.wat", APP.as_bytes());
    let lib = write(&d, "dyninstr.wat", b"(module)");
    let arg = format!("dyninstr(whamm:dyninstr)={lib}");
    let out = wham(&["run", "-s", &s, "--user-libs", &arg, &a]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("the engine provides `whamm:dyninstr`"));
    let report = text(&out.stdout);
    assert_eq!(report.matches(", true").count(), 2, "{report}");
}
