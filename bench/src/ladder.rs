//! One rung of the ladder at a time: a tool on a program, run plain,
//! rewritten and on each engine tier, with the compile time of what each
//! runs. Only runs are timed for the ratios (modules are compiled and
//! monitors attached beforehand); plain and instrumented runs alternate,
//! so a slow spell of the machine hits both, and each keeps its best.

use std::time::{Duration, Instant};
use wham_engine::Tier;
use wham_lang::CheckedScript;

/// Where a tool can run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Way {
    Rewrite,
    Engine(Tier),
    /// Fused, every probe removed from the start: what a tool whose probes
    /// remove themselves leaves once they all have.
    Removed,
}

impl Way {
    pub const ALL: [Way; 5] = [
        Way::Rewrite,
        Way::Engine(Tier::Fused),
        Way::Engine(Tier::Weave),
        Way::Removed,
        Way::Engine(Tier::Host),
    ];

    pub fn name(self) -> String {
        match self {
            Way::Rewrite => "rewrite".into(),
            Way::Engine(t) => t.to_string(),
            Way::Removed => "removed".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Way> {
        match s {
            "rewrite" => Some(Way::Rewrite),
            "removed" => Some(Way::Removed),
            t => t.parse().ok().map(Way::Engine),
        }
    }
}

/// A program and its arguments (`argv[0]` first).
pub struct Program {
    pub name: String,
    pub bytes: Vec<u8>,
    pub argv: Vec<String>,
}

/// The figures of one tool on one program.
pub struct Rung {
    pub plain: Duration,
    pub plain_compile: Duration,
    /// Per way asked for: run time / plain, or `None` where the tool does
    /// not run that way (dynamic removal when rewritten).
    pub ratios: Vec<Option<f64>>,
    /// Compile time of the fused program / the plain one's.
    pub fused_compile: Option<f64>,
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

fn options(argv: &[String]) -> wham_host::RunOptions {
    wham_host::RunOptions {
        args: argv.to_vec(),
        capture: true,
        ..Default::default()
    }
}

/// One engine run: a fresh monitor (its state is per run), attached and
/// compiled untimed; returns the run time and the compile time.
fn engine_run(
    p: &Program,
    monitor: &[u8],
    engine: wham_engine::EngineOptions,
) -> (Duration, Duration) {
    let bound = wham_engine::bind(&p.bytes, monitor, options(&p.argv), engine).expect("binds");
    let t = Instant::now();
    let module = bound.session.compile(&bound.program).expect("compiles");
    let compile = t.elapsed();
    let run = timed(|| {
        bound
            .session
            .run_compiled(&module, wham_engine::FINALLY)
            .expect("runs")
    });
    (run, compile)
}

/// Measure `script` on `p` the `ways` asked, best of `runs`.
pub fn measure(script: &CheckedScript<'_>, p: &Program, ways: &[Way], runs: usize) -> Rung {
    let t = Instant::now();
    let plain_module = wham_host::prepare(&p.bytes).expect("compiles");
    let mut plain_compile = t.elapsed();
    // `None` also where the tool does not rewrite (it removes probes).
    let rewritten = ways
        .contains(&Way::Rewrite)
        .then(|| wham_rewrite::instrument(script, &p.bytes, &Default::default()).ok())
        .flatten()
        .map(|out| wham_host::prepare(&out.bytes).expect("compiles"));
    let monitor = wham_engine::build(script, &Default::default())
        .expect("monitor")
        .bytes;
    let removes = script.libs.iter().any(|l| l == "dyninstr");
    let mut plain = Duration::MAX;
    let mut best = vec![Duration::MAX; ways.len()];
    let mut fused_compile = Duration::MAX;
    let flush = wham_host::RunOptions {
        finally: Some(wham_rewrite::FLUSH_EXPORT.to_string()),
        ..options(&p.argv)
    };
    for _ in 0..runs {
        plain = plain.min(timed(|| plain_module.run(&options(&p.argv)).expect("runs")));
        let t = Instant::now();
        let _ = wham_host::prepare(&p.bytes).expect("compiles");
        plain_compile = plain_compile.min(t.elapsed());
        for (k, way) in ways.iter().enumerate() {
            let d = match way {
                Way::Rewrite => match &rewritten {
                    Some(m) => timed(|| m.run(&flush).expect("runs")),
                    None => continue,
                },
                Way::Removed if !removes => continue,
                Way::Removed => {
                    let engine = wham_engine::EngineOptions {
                        start_removed: true,
                        ..Tier::Fused.into()
                    };
                    engine_run(p, &monitor, engine).0
                }
                Way::Engine(tier) => {
                    let (run, compile) = engine_run(p, &monitor, (*tier).into());
                    if *tier == Tier::Fused {
                        fused_compile = fused_compile.min(compile);
                    }
                    run
                }
            };
            best[k] = best[k].min(d);
        }
    }
    let ratio = |d: Duration| (d != Duration::MAX).then(|| d.as_secs_f64() / plain.as_secs_f64());
    Rung {
        plain,
        plain_compile,
        ratios: best.into_iter().map(ratio).collect(),
        fused_compile: (fused_compile != Duration::MAX)
            .then(|| fused_compile.as_secs_f64() / plain_compile.as_secs_f64()),
    }
}
