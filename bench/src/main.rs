//! `cargo run --release -p wham-bench [-- --runs N] [--rewrite-only]`: for a few C kernels and
//! the example tools, the run time of the instrumented program divided by
//! the plain program's, both on the embedded wasmtime, side by side.
//!
//! Two targets side by side: `rewrite` (the script woven into the app's
//! bytecode) and `engine` (the unmodified app beside the script's monitor
//! module, calls to it woven in by wham's engine).
//!
//! `-- --scale`: the time and peak memory of instrumenting generated 1 MB
//! and 6 MB modules with each tool (`scale.rs`).
//!
//! Only runs are timed (modules are compiled and monitors attached
//! beforehand); each figure is the best of N runs (default 3). Output of
//! the programs and reports is captured, not printed.

mod scale;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// (name, app, arguments): sized to run for a fraction of a second plain.
const KERNELS: &[(&str, &str, &[&str])] = &[
    ("matmul", "tests/apps/c/matmul.wasm", &["256"]),
    ("sieve", "tests/apps/c/sieve.wasm", &["1048575"]),
    ("sort", "tests/apps/c/sort.wasm", &["20000"]),
    ("fib", "tests/apps/c/fib.wasm", &["32"]),
];

const TOOLS: &[&str] = &["icount", "branches", "hotness"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shortest of `runs` timings; `run` times one run (setup untimed).
fn best(runs: usize, mut run: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| run()).min().unwrap_or_default()
}

/// Time one run, checking that it exited normally.
fn timed(f: impl FnOnce() -> wham_host::RunResult) -> Duration {
    let t = Instant::now();
    let r = f();
    let d = t.elapsed();
    assert!(
        matches!(r.outcome, wham_host::Outcome::Exited(0)),
        "{:?}",
        r.outcome
    );
    d
}

fn best_of(runs: usize, prepared: &wham_host::Prepared, args: &[String]) -> Duration {
    let options = wham_host::RunOptions {
        args: args.to_vec(),
        capture: true,
        finally: Some(wham_rewrite::FLUSH_EXPORT.to_string()),
        ..Default::default()
    };
    best(runs, || timed(|| prepared.run(&options).expect("runs")))
}

/// Best of `runs` engine runs: each starts a fresh monitor (its state is
/// per run) and attaches it untimed, then times the run.
fn best_engine(runs: usize, app: &[u8], monitor: &[u8], args: &[String]) -> Duration {
    best(runs, || {
        let options = wham_host::RunOptions {
            args: args.to_vec(),
            capture: true,
            ..Default::default()
        };
        let bound =
            wham_engine::bind(app, monitor, options, wham_engine::Tier::Fused).expect("binds");
        let module = bound.session.compile(&bound.program).expect("compiles");
        timed(|| {
            bound
                .session
                .run_compiled(&module, wham_engine::FINALLY)
                .expect("runs")
        })
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--scale-one") {
        scale::one(&args[i + 1], &args[i + 2], &repo());
        return;
    }
    if args.iter().any(|a| a == "--scale") {
        scale::run(TOOLS);
        return;
    }
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    // `--rewrite-only`: skip the engine target (its runs are the slow ones).
    let engine = !args.iter().any(|a| a == "--rewrite-only");
    let scripts: Vec<_> = TOOLS
        .iter()
        .map(|t| {
            let src =
                std::fs::read_to_string(repo().join(format!("examples/{t}.mm"))).expect("example");
            let (checked, diags) = wham_lang::compile(&src);
            (
                *t,
                checked.unwrap_or_else(|| panic!("{t}: {}", diags.summary())),
            )
        })
        .collect();
    print!("{:<8} {:>10}", "kernel", "plain");
    for t in TOOLS {
        print!(" {:>17}", format!("{t} rw/eng"));
    }
    println!();
    let mut logs: Vec<Vec<f64>> = vec![Vec::new(); 2 * TOOLS.len()];
    for (name, app, kargs) in KERNELS {
        let bytes = std::fs::read(repo().join(app)).expect("kernel");
        let argv: Vec<String> = std::iter::once(name.to_string())
            .chain(kargs.iter().map(|s| s.to_string()))
            .collect();
        let prepared = wham_host::prepare(&bytes).expect("compiles");
        let instrumented: Vec<_> = scripts
            .iter()
            .map(|(_, script)| {
                let out = wham_rewrite::instrument(script, &bytes, &Default::default())
                    .expect("instruments");
                wham_host::prepare(&out.bytes).expect("compiles")
            })
            .collect();
        // Plain and instrumented runs alternate, so a slow spell of this
        // shared machine hits both; each keeps its best.
        let mut plain = Duration::MAX;
        let mut rewritten = vec![Duration::MAX; scripts.len()];
        for _ in 0..runs {
            plain = plain.min(best_of(1, &prepared, &argv));
            for (k, p) in instrumented.iter().enumerate() {
                rewritten[k] = rewritten[k].min(best_of(1, p, &argv));
            }
        }
        print!("{:<8} {:>8.1}ms", name, plain.as_secs_f64() * 1e3);
        for (k, (_, script)) in scripts.iter().enumerate() {
            let t = rewritten[k];
            let e = if engine {
                let monitor = wham_engine::build(script, &Default::default()).expect("monitor");
                best_engine(runs, &bytes, &monitor.bytes, &argv)
            } else {
                Duration::ZERO
            };
            let ratio = t.as_secs_f64() / plain.as_secs_f64();
            let eratio = e.as_secs_f64() / plain.as_secs_f64();
            logs[2 * k].push(ratio.ln());
            logs[2 * k + 1].push(eratio.ln());
            print!(" {:>7.2}x {:>7.2}x", ratio, eratio);
        }
        println!();
    }
    print!("{:<8} {:>10}", "geomean", "");
    for pair in logs.chunks(2) {
        let g = |l: &Vec<f64>| (l.iter().sum::<f64>() / l.len() as f64).exp();
        print!(" {:>7.2}x {:>7.2}x", g(&pair[0]), g(&pair[1]));
    }
    println!();
}
