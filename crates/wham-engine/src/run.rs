//! The engine target end to end, shared by the command line, the tests
//! and the bench: start the monitor (and its libraries) in one session,
//! attach its probes to the app by calling it, give the result the
//! tier's shape, run it, call `wasm:exit`.

use crate::fuse;
use crate::{EXIT_EXPORT, MONITOR, Tier, weave_calls};
use std::rc::Rc;
use wham_host::{Finally, RunOptions, RunResult, Session};

/// Why a run on the engine target did not happen.
#[derive(Debug)]
pub enum EngineError {
    /// The monitor or a library could not be loaded or started.
    Load(String),
    /// The monitor is not one the engine can attach: an export that does
    /// not parse, an import the engine does not provide.
    Monitor(String),
    /// The app reaches for something that is not its own.
    App(String),
    /// The monitor trapped while probes were being attached.
    Bind(String),
    /// The app could not be woven (not a module, unsupported, our bug).
    Weave(wham_rewrite::Error),
    /// The fused module would break the sandbox; nothing was run.
    Isolation(String),
    /// A bug: the fused module is not valid.
    Fuse(String),
    /// The woven app could not be compiled or linked.
    Run(wham_host::RunError),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Load(m) => write!(f, "the monitor cannot be loaded: {m}"),
            EngineError::Monitor(m) => write!(f, "the monitor cannot be attached: {m}"),
            EngineError::App(m) => write!(f, "the program cannot run beside a monitor: {m}"),
            EngineError::Bind(m) => write!(f, "the monitor failed while attaching probes: {m}"),
            EngineError::Weave(e) => write!(f, "{e}"),
            EngineError::Isolation(m) => write!(
                f,
                "the fused program would break the monitor's sandbox, so it was not run: {m}"
            ),
            EngineError::Fuse(m) => write!(f, "internal error: fusing the monitor: {m}"),
            EngineError::Run(e) => write!(f, "{e}"),
        }
    }
}

impl EngineError {
    /// Whether the fault is wham's, not the input's.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            EngineError::Fuse(_) | EngineError::Weave(wham_rewrite::Error::Internal(_))
        )
    }
}

/// A finished engine run, with the warnings met on the way (skipped
/// monitor exports, dropped debug sections).
pub struct EngineRun {
    pub result: RunResult,
    pub warnings: Vec<String>,
}

/// How the engine attaches a monitor.
#[derive(Clone, Copy, Debug, Default)]
pub struct EngineOptions {
    pub tier: Tier,
    /// Call counting probes at every instruction instead of counting once
    /// per basic block (exact even when a trap cuts a block short).
    pub no_batching: bool,
    /// Start with every removable probe removed, as if each had removed
    /// itself: what a program costs once removal is done (the bench).
    pub start_removed: bool,
}

impl From<Tier> for EngineOptions {
    fn from(tier: Tier) -> EngineOptions {
        EngineOptions {
            tier,
            ..Default::default()
        }
    }
}

/// Run `app` unmodified beside `monitor`. `options.libs` are the
/// monitor's libraries (by import module name); the monitor is added last.
pub fn run_with_monitor(
    app: &[u8],
    monitor: &[u8],
    options: RunOptions,
    engine: impl Into<EngineOptions>,
) -> Result<EngineRun, EngineError> {
    let bound = bind(app, monitor, options, engine)?;
    let result = bound
        .session
        .run(&bound.program, FINALLY)
        .map_err(EngineError::Run)?;
    Ok(EngineRun {
        result,
        warnings: bound.warnings,
    })
}

/// A monitor started and attached to an app, ready to run.
pub struct Bound {
    pub session: Session,
    /// What runs: the app with calls to the monitor woven in, or (fused)
    /// with the monitor's code in it.
    pub program: Vec<u8>,
    pub warnings: Vec<String>,
}

/// The `wasm:exit` hook of a bound monitor (on every tier the monitor's
/// own instance holds its state).
pub const FINALLY: Finally<'static> = Finally::Library(MONITOR, EXIT_EXPORT);

/// Start `monitor` and attach its probes to `app` (everything up to
/// running the app).
pub fn bind(
    app: &[u8],
    monitor: &[u8],
    mut options: RunOptions,
    engine: impl Into<EngineOptions>,
) -> Result<Bound, EngineError> {
    let EngineOptions {
        tier,
        no_batching,
        start_removed,
    } = engine.into();
    let libs: Vec<&str> = options.libs.iter().map(|(name, _)| name.as_str()).collect();
    crate::admit::monitor(monitor, &libs).map_err(EngineError::Monitor)?;
    crate::admit::app(app, &libs).map_err(EngineError::App)?;
    let prepared = crate::prepare::prepare(monitor).map_err(EngineError::Load)?;
    options
        .libs
        .push((MONITOR.to_string(), prepared.bytes.clone()));
    // The monitor starts (global state, `wasm:begin`) before binding; the
    // program's memory sizes it may ask for then are the initial ones.
    options.app_initial_pages = Some(initial_pages(app));
    let session = Session::new(&options).map_err(|e| EngineError::Load(e.to_string()))?;
    let session = Rc::new(session);
    let (evaluator, failures) = crate::evaluator::Evaluator::new(session.clone());
    let woven = weave_calls(app, &prepared, Box::new(evaluator), no_batching);
    if let Some(first) = failures.borrow().first() {
        return Err(EngineError::Bind(first.clone()));
    }
    let woven = woven?;
    let mut session = Rc::try_unwrap(session)
        .map_err(|_| EngineError::Load("the monitor session is still in use".into()))?;
    let code_map = woven.code_map;
    if start_removed && prepared.removes_probes {
        session.remove_probes_at_start(woven.placements.iter().filter_map(|p| p.slot));
    }
    // Code whose probes can remove themselves gets a plain version too.
    let versioned = if prepared.removes_probes {
        crate::versions::version(
            &woven.bytes,
            app,
            &code_map,
            &woven.placements,
            crate::FLAGS_EXPORT,
        )
        .map_err(EngineError::Fuse)?
        .filter(|v| validate(&v.bytes).is_ok())
    } else {
        None
    };
    let (woven_bytes, versions) = match versioned {
        Some(mut v) => {
            session.probe_regions(std::mem::take(&mut v.regions));
            (std::mem::take(&mut v.bytes), Some(v))
        }
        None => (woven.bytes, None),
    };
    // From a place in the woven program (versioned or not) to the app's.
    let woven_place = move |func: u32, pc: u32| {
        let imports = code_map.app_imports + code_map.added_imports;
        let (func, pc) = match (&versions, func.checked_sub(imports)) {
            (Some(v), Some(k)) => {
                let (k, pc) = v.woven_place(k, pc);
                (imports + k, pc)
            }
            _ => (func, pc),
        };
        code_map.original(func, pc)
    };
    if !woven.deferred.is_empty() {
        session.transfer_counts(wham_host::Counts {
            memory: crate::FLAGS_EXPORT.into(),
            lib: MONITOR.into(),
            transfers: woven
                .deferred
                .iter()
                .map(|d| wham_host::CountTransfer {
                    slot: d.slot,
                    adder: d.adder.clone(),
                    address: d.address,
                    delta: d.delta,
                    wide: d.wide,
                })
                .collect(),
        });
    }
    // A trap is reported to the monitor at the app's own (fid, pc).
    let mut warnings = woven.warnings;
    let tier = match (tier, &prepared.unfusable) {
        (Tier::Fused, Some(why)) => {
            warnings.push(format!("{why}; running it on the weave tier instead"));
            Tier::Weave
        }
        _ => tier,
    };
    let (program, place): (Vec<u8>, wham_host::PlaceMap) = match tier {
        Tier::Fused => {
            let mut fused = fuse::fuse(&woven_bytes, &prepared).map_err(EngineError::Fuse)?;
            fuse::isolation::check(&fused).map_err(EngineError::Isolation)?;
            validate(&fused.bytes).map_err(EngineError::Fuse)?;
            let bytes = std::mem::take(&mut fused.bytes);
            (
                bytes,
                Box::new(move |func, pc| {
                    let (f, pc) = fused.woven_place(func, pc)?;
                    woven_place(f, pc)
                }),
            )
        }
        Tier::Weave | Tier::Host => {
            if tier == Tier::Host {
                session
                    .route_through_host(MONITOR)
                    .map_err(EngineError::Run)?;
            }
            (woven_bytes, Box::new(woven_place))
        }
    };
    if let Some(path) = std::env::var_os("WHAM_SAVE_PROGRAM") {
        // A developer's aid: the module the engine is about to run.
        let _ = std::fs::write(path, &program);
    }
    session.on_trap(wham_host::TrapHook {
        lib: MONITOR.into(),
        export: crate::TRAP_EXPORT.into(),
        place,
    });
    Ok(Bound {
        session,
        program,
        warnings,
    })
}

/// The fused module must validate; a failure is our bug.
fn validate(bytes: &[u8]) -> Result<(), String> {
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    v.validate_all(bytes)
        .map(|_| ())
        .map_err(|e| format!("the fused module is invalid: {e}"))
}

/// The initial size in pages of each of the program's memories, imported
/// ones first (the admitted program parses).
fn initial_pages(app: &[u8]) -> Vec<u64> {
    crate::module_info::ModuleInfo::parse(app)
        .map(|m| m.memory_types.iter().map(|t| t.initial).collect())
        .unwrap_or_default()
}
