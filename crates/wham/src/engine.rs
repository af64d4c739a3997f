//! The engine target end to end, shared by the command line and the tests:
//! start the monitor (and its libraries) in one session, attach its probes
//! to the app by calling it, run the app, call `wasm:exit`.

use std::rc::Rc;
use wham_engine::{Finally, RunOptions, RunResult, Session};
use wham_rewrite::monitor::{EXIT_EXPORT, MONITOR, weave_calls};

/// Why a run on the engine target did not happen.
#[derive(Debug)]
pub enum EngineError {
    /// The monitor or a library could not be loaded or started.
    Load(String),
    /// The monitor trapped while probes were being attached.
    Bind(String),
    /// The app could not be woven (not a module, unsupported, our bug).
    Weave(wham_rewrite::Error),
    /// The woven app could not be compiled or linked.
    Run(wham_engine::RunError),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Load(m) => write!(f, "the monitor cannot be loaded: {m}"),
            EngineError::Bind(m) => write!(f, "the monitor failed while attaching probes: {m}"),
            EngineError::Weave(e) => write!(f, "{e}"),
            EngineError::Run(e) => write!(f, "{e}"),
        }
    }
}

/// A finished engine run, with the warnings met on the way (skipped
/// monitor exports, dropped debug sections).
pub struct EngineRun {
    pub result: RunResult,
    pub warnings: Vec<String>,
}

/// Run `app` unmodified beside `monitor`. `options.libs` are the monitor's
/// libraries (by import module name); the monitor is added last.
pub fn run_with_monitor(
    app: &[u8],
    monitor: &[u8],
    options: RunOptions,
) -> Result<EngineRun, EngineError> {
    let bound = bind(app, monitor, options)?;
    let result = bound
        .session
        .run(&bound.woven, Finally::Library(MONITOR, EXIT_EXPORT))
        .map_err(EngineError::Run)?;
    Ok(EngineRun {
        result,
        warnings: bound.warnings,
    })
}

/// A monitor started and attached to an app, ready to run.
pub struct Bound {
    pub session: Session,
    /// The app with calls to the monitor woven in.
    pub woven: Vec<u8>,
    pub warnings: Vec<String>,
}

/// The `wasm:exit` hook of a bound monitor.
pub const FINALLY: Finally<'static> = Finally::Library(MONITOR, EXIT_EXPORT);

/// Start `monitor` and attach its probes to `app` (everything up to
/// running the app).
pub fn bind(app: &[u8], monitor: &[u8], mut options: RunOptions) -> Result<Bound, EngineError> {
    options.libs.push((MONITOR.to_string(), monitor.to_vec()));
    // The monitor starts (global state, `wasm:begin`) before binding.
    let session = Rc::new(Session::new(&options).map_err(|e| EngineError::Load(e.to_string()))?);
    let (evaluator, failures) = crate::libs::Evaluator::new(session.clone());
    let woven = weave_calls(app, monitor, Box::new(evaluator));
    if let Some(first) = failures.borrow().first() {
        return Err(EngineError::Bind(first.clone()));
    }
    let woven = woven.map_err(EngineError::Weave)?;
    let mut session = Rc::try_unwrap(session)
        .map_err(|_| EngineError::Load("the monitor session is still in use".into()))?;
    // A trap is reported to the monitor at the app's own (fid, pc).
    let code_map = woven.code_map;
    session.on_trap(wham_engine::TrapHook {
        lib: MONITOR.into(),
        export: wham_rewrite::monitor::TRAP_EXPORT.into(),
        place: Box::new(move |func, pc| code_map.original(func, pc)),
    });
    Ok(Bound {
        session,
        woven: woven.bytes,
        warnings: woven.warnings,
    })
}
