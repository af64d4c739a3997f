//! `cargo run --release -p wham-bench [-- OPTIONS]`: the optimisation
//! ladder. For each tool and program, the run time of the instrumented
//! program divided by the plain program's, on the embedded wasmtime:
//! rewritten, and on each engine tier (`fused`, `weave`, `host`), side by
//! side, with the compile time of the fused program against the plain
//! one's.
//!
//! Options:
//! * `--runs N`: each figure is the best of N runs (default 3);
//! * `--tools a,b`: tools to run (default all, below);
//! * `--ways rewrite,fused,weave,removed,host`: which columns (`removed`:
//!   fused with every probe removed from the start, for tools whose probes
//!   remove themselves; default all but
//!   `host`, whose host call per fired probe makes per-instruction tools
//!   100-2000 times slower and the bench take hours; `all` takes it too);
//! * `--kernels a,b`: which built-in kernels (default the four small
//!   ones; `gemm` runs about a second plain, `all` takes every one);
//! * `--app NAME=PATH[,ARG...]`: another program, e.g. a real one of a
//!   megabyte or more (may be repeated);
//! * `--scale`: the time and peak memory of instrumenting generated 1 MB
//!   and 6 MB modules with each tool (`scale.rs`).
//!
//! Output of the programs and reports is captured, not printed.

mod ladder;
mod scale;

use ladder::{Program, Way};
use std::path::{Path, PathBuf};

/// (name, app, arguments): the small ones run for a fraction of a second
/// plain; `gemm` (PolyBench-style, `bench/apps/gemm.c`) about a second.
const KERNELS: &[(&str, &str, &[&str])] = &[
    ("matmul", "tests/apps/c/matmul.wasm", &["256"]),
    ("sieve", "tests/apps/c/sieve.wasm", &["1048575"]),
    ("sort", "tests/apps/c/sort.wasm", &["20000"]),
    ("fib", "tests/apps/c/fib.wasm", &["32"]),
    ("gemm", "bench/apps/gemm.wasm", &["1500"]),
];
const SMALL: &[&str] = &["matmul", "sieve", "sort", "fib"];

/// The example tools, and the classic ones the user guide's tool
/// library describes, written here so the bench needs no other file.
const TOOLS: &[(&str, Option<&str>)] = &[
    ("icount", None),
    ("branches", None),
    ("hotness", None),
    ("call_graph", None),
    (
        "blocks",
        Some("wasm:block:end { report unshared var hits: u64; hits++; }"),
    ),
    (
        "coverage",
        Some("wasm:opcode:*:before { report unshared var reached: bool; reached = true; }"),
    ),
    ("coverage_dyninstr", None),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).map(String::as_str)
}

fn list<'a>(args: &'a [String], name: &str) -> Option<Vec<&'a str>> {
    flag(args, name).map(|v| v.split(',').collect())
}

fn programs(args: &[String]) -> Vec<Program> {
    let wanted = list(args, "--kernels").unwrap_or_else(|| SMALL.to_vec());
    let mut out: Vec<Program> = KERNELS
        .iter()
        .filter(|(name, ..)| wanted.contains(name) || wanted.contains(&"all"))
        .map(|(name, path, kargs)| Program {
            name: name.to_string(),
            bytes: std::fs::read(repo().join(path)).expect("kernel"),
            argv: std::iter::once(name.to_string())
                .chain(kargs.iter().map(|s| s.to_string()))
                .collect(),
        })
        .collect();
    for (i, a) in args.iter().enumerate() {
        if a != "--app" {
            continue;
        }
        let spec = args.get(i + 1).expect("--app NAME=PATH[,ARG...]");
        let (name, rest) = spec.split_once('=').expect("--app NAME=PATH[,ARG...]");
        let mut parts = rest.split(',');
        let path = parts.next().unwrap_or_default();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.push(Program {
            name: name.to_string(),
            bytes,
            argv: std::iter::once(name.to_string())
                .chain(parts.map(str::to_string))
                .collect(),
        });
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--scale-one") {
        scale::one(&args[i + 1], &args[i + 2], &repo());
        return;
    }
    let basic: Vec<&str> = TOOLS.iter().take(3).map(|(t, _)| *t).collect();
    if args.iter().any(|a| a == "--scale") {
        scale::run(&basic);
        return;
    }
    let runs = flag(&args, "--runs")
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let ways: Vec<Way> = match list(&args, "--ways") {
        Some(names) if names == ["all"] => Way::ALL.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| Way::parse(n).unwrap_or_else(|| panic!("no way `{n}`")))
            .collect(),
        None => Way::ALL[..4].to_vec(),
    };
    let tools = list(&args, "--tools");
    let programs = programs(&args);
    println!(
        "plain: the program's run time without instrumentation (best of {runs}).\n\
         rewrite, fused, weave, removed, host: run time instrumented / plain (1.00x: free):\n\
         \x20 rewrite  the script woven into the program's bytecode;\n\
         \x20 fused    engine target, the monitor's code fused into the program (the default);\n\
         \x20 weave    engine target, calls into the monitor's own instance;\n\
         \x20 removed  fused, every probe removed from the start (tools that remove their probes);\n\
         \x20 host     engine target, calls through the host (`--ways all`).\n\
         fused compile: compile time of the fused program / the plain program's, then the plain one's.\n\
         -: the tool does not run that way.\n"
    );
    print!("{:<18} {:<8} {:>10}", "tool", "program", "plain");
    for w in &ways {
        print!(" {:>8}", w.name());
    }
    println!(" {:>14}", "fused compile");
    for (tool, inline) in TOOLS {
        if tools.as_ref().is_some_and(|t| !t.contains(tool)) {
            continue;
        }
        let src = match inline {
            Some(src) => src.to_string(),
            None => std::fs::read_to_string(repo().join(format!("examples/{tool}.mm")))
                .expect("example"),
        };
        let (checked, diags) = wham_lang::compile(&src);
        let script = checked.unwrap_or_else(|| panic!("{tool}: {}", diags.summary()));
        let mut logs: Vec<Vec<f64>> = vec![Vec::new(); ways.len() + 1];
        for p in &programs {
            let rung = ladder::measure(&script, p, &ways, runs);
            print!(
                "{:<18} {:<8} {:>8.1}ms",
                tool,
                p.name,
                rung.plain.as_secs_f64() * 1e3
            );
            for (k, r) in rung.ratios.iter().enumerate() {
                match r {
                    Some(r) => {
                        logs[k].push(r.ln());
                        print!(" {:>7.2}x", r)
                    }
                    None => print!(" {:>8}", "-"),
                }
            }
            match rung.fused_compile {
                Some(c) => {
                    logs[ways.len()].push(c.ln());
                    println!(
                        " {:>6.2}x {:>5.0}ms",
                        c,
                        rung.plain_compile.as_secs_f64() * 1e3
                    )
                }
                None => println!(),
            }
        }
        if programs.len() > 1 {
            print!("{:<18} {:<8} {:>10}", tool, "geomean", "");
            for l in &logs {
                match l.len() {
                    0 => print!(" {:>8}", "-"),
                    n => print!(" {:>7.2}x", (l.iter().sum::<f64>() / n as f64).exp()),
                }
            }
            println!();
        }
    }
}
