//! wham's engine host on wasmtime: runs a (possibly instrumented) module
//! as a WASI preview 1 command and reports how it ended.
//!
//! The rewriting target uses it to run woven modules; the engine target
//! (monitor modules beside the unmodified app) builds on it.

use std::path::PathBuf;
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How to run a program.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// `argv[0]` (the program name) first.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Host directories made visible to the program: (host path, guest path).
    pub dirs: Vec<(PathBuf, String)>,
    /// An export to call after the program ends however it ends (the
    /// instrumentation's report flush); ignored if the module lacks it.
    pub finally: Option<String>,
    /// Keep the program's stdout and stderr in the result instead of
    /// passing them through (for tests and tools that compare output).
    pub capture: bool,
    /// Library modules linked by module name: (import module, bytes). Each
    /// is instantiated (with WASI) before the program.
    pub libs: Vec<(String, Vec<u8>)>,
}

/// How a run ended, with captured output when asked for.
#[derive(Debug)]
pub struct RunResult {
    pub outcome: Outcome,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// How a run ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Returned from its entry point (0) or called `proc_exit(code)`.
    Exited(i32),
    /// Trapped; the message names the trap and the functions on the stack.
    Trapped(String),
}

#[derive(Debug)]
pub enum RunError {
    /// The module could not be compiled or linked (bad or unsupported).
    Load(String),
    /// A `--dir` could not be opened.
    Dir(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Load(m) => write!(f, "cannot load the module: {m}"),
            RunError::Dir(m) => write!(f, "cannot open directory: {m}"),
        }
    }
}

impl std::error::Error for RunError {}

pub fn engine() -> Result<Engine, RunError> {
    let mut config = Config::new();
    config.wasm_multi_memory(true);
    Engine::new(&config).map_err(|e| RunError::Load(format!("{e:#}")))
}

/// A module compiled once, to run many times (benchmarks time only runs).
pub struct Prepared {
    engine: Engine,
    module: Module,
}

/// Compile `wasm` for running.
pub fn prepare(wasm: &[u8]) -> Result<Prepared, RunError> {
    let engine = engine()?;
    let module = Module::new(&engine, wasm).map_err(|e| RunError::Load(format!("{e:#}")))?;
    Ok(Prepared { engine, module })
}

/// Run `wasm` to completion with WASI preview 1.
pub fn run(wasm: &[u8], options: &RunOptions) -> Result<RunResult, RunError> {
    prepare(wasm)?.run(options)
}

impl Prepared {
    /// Run the module to completion with WASI preview 1.
    pub fn run(&self, options: &RunOptions) -> Result<RunResult, RunError> {
        run_module(&self.engine, &self.module, options)
    }
}

fn run_module(
    engine: &Engine,
    module: &Module,
    options: &RunOptions,
) -> Result<RunResult, RunError> {
    let mut linker: Linker<WasiP1Ctx> = Linker::new(engine);
    p1::add_to_linker_sync(&mut linker, |t| t).map_err(|e| RunError::Load(format!("{e:#}")))?;
    let mut builder = WasiCtxBuilder::new();
    builder
        .inherit_stdio()
        .args(&options.args)
        .envs(&options.env);
    // Captured output is capped so a runaway program cannot exhaust memory.
    let pipes = options.capture.then(|| {
        (
            MemoryOutputPipe::new(CAPTURE_CAP),
            MemoryOutputPipe::new(CAPTURE_CAP),
        )
    });
    if let Some((out, err)) = &pipes {
        builder.stdout(out.clone()).stderr(err.clone());
    }
    for (host, guest) in &options.dirs {
        builder
            .preopened_dir(host, guest, FsPerms::ReadWrite)
            .map_err(|e| RunError::Dir(format!("{}: {e:#}", host.display())))?;
    }
    let mut store = Store::new(engine, builder.build_p1());
    for (name, bytes) in &options.libs {
        let lib = Module::new(engine, bytes)
            .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
        let inst = linker
            .instantiate(&mut store, &lib)
            .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
        linker
            .instance(&mut store, name, inst)
            .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
    }
    let instance = match linker.instantiate(&mut store, module) {
        Ok(i) => i,
        // A trap in the start function is the program trapping.
        Err(e)
            if e.downcast_ref::<wasmtime::Trap>().is_some()
                || e.downcast_ref::<I32Exit>().is_some() =>
        {
            return Ok(result(ended(e), &pipes));
        }
        Err(e) => return Err(RunError::Load(format!("{e:#}"))),
    };
    let entry = ["_start", "main"]
        .iter()
        .find_map(|name| instance.get_typed_func::<(), ()>(&mut store, name).ok());
    let outcome = match entry {
        Some(f) => match f.call(&mut store, ()) {
            Ok(()) => Outcome::Exited(0),
            Err(e) => ended(e),
        },
        // A module without an entry point ran its start function (if any)
        // when it was instantiated; that was the program.
        None => Outcome::Exited(0),
    };
    if let Some(name) = &options.finally
        && let Ok(flush) = instance.get_typed_func::<(), ()>(&mut store, name)
    {
        // After a trap the program's state is whatever it was; the report
        // still reflects everything that ran.
        let _ = flush.call(&mut store, ());
    }
    Ok(result(outcome, &pipes))
}

const CAPTURE_CAP: usize = 256 << 20;

fn result(outcome: Outcome, pipes: &Option<(MemoryOutputPipe, MemoryOutputPipe)>) -> RunResult {
    let (stdout, stderr) = match pipes {
        Some((o, e)) => (o.contents().to_vec(), e.contents().to_vec()),
        None => (Vec::new(), Vec::new()),
    };
    RunResult {
        outcome,
        stdout,
        stderr,
    }
}

fn ended(e: wasmtime::Error) -> Outcome {
    if let Some(exit) = e.downcast_ref::<I32Exit>() {
        return Outcome::Exited(exit.0);
    }
    Outcome::Trapped(trap_message(&e))
}

/// The trap and the functions on the stack, innermost first, by name
/// where the module has one. (No host backtrace: the user's program
/// trapped, not wham.)
fn trap_message(e: &wasmtime::Error) -> String {
    let what = match e.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => e.root_cause().to_string(),
    };
    let mut msg = what;
    if let Some(bt) = e.downcast_ref::<wasmtime::WasmBacktrace>() {
        for frame in bt.frames() {
            let name = frame.func_name().map_or_else(
                || format!("function {}", frame.func_index()),
                str::to_string,
            );
            msg.push_str(&format!("\n    in {name}"));
        }
    }
    msg
}

/// A Wasm value passed to or returned from a library function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

/// Library instances kept alive to call functions of while instrumenting
/// (`@static`): their state persists from call to call.
pub struct Libraries {
    store: std::cell::RefCell<Store<WasiP1Ctx>>,
    instances: Vec<(String, wasmtime::Instance)>,
}

impl Libraries {
    /// Instantiate each library (by its script name) with WASI.
    pub fn new(libs: &[(String, Vec<u8>)]) -> Result<Libraries, RunError> {
        let engine = engine()?;
        let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |t| t).map_err(|e| RunError::Load(format!("{e:#}")))?;
        let mut store = Store::new(&engine, WasiCtxBuilder::new().inherit_stdio().build_p1());
        let mut instances = Vec::new();
        for (name, bytes) in libs {
            let module = Module::new(&engine, bytes)
                .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
            let inst = linker
                .instantiate(&mut store, &module)
                .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
            instances.push((name.clone(), inst));
        }
        Ok(Libraries {
            store: std::cell::RefCell::new(store),
            instances,
        })
    }

    /// Call `func` of library `lib`; integer arguments are widened or
    /// narrowed to the parameter types.
    pub fn call(&self, lib: &str, func: &str, args: &[Val]) -> Result<Vec<Val>, String> {
        let inst = self
            .instances
            .iter()
            .find(|(n, _)| n == lib)
            .map(|(_, i)| *i)
            .ok_or_else(|| format!("library `{lib}` is not loaded"))?;
        let mut store = self.store.borrow_mut();
        let f = inst
            .get_func(&mut *store, func)
            .ok_or_else(|| format!("library `{lib}` exports no function `{func}`"))?;
        let ty = f.ty(&*store);
        let params: Vec<wasmtime::ValType> = ty.params().collect();
        if params.len() != args.len() {
            return Err(format!(
                "`{lib}.{func}` takes {} arguments, given {}",
                params.len(),
                args.len()
            ));
        }
        let wargs: Vec<wasmtime::Val> = args
            .iter()
            .zip(&params)
            .map(|(a, p)| match (a, p) {
                (Val::I32(i), wasmtime::ValType::I64) => wasmtime::Val::I64(*i as i64),
                (Val::I64(i), wasmtime::ValType::I32) => wasmtime::Val::I32(*i as i32),
                (Val::I32(i), _) => wasmtime::Val::I32(*i),
                (Val::I64(i), _) => wasmtime::Val::I64(*i),
                (Val::F32(f), _) => wasmtime::Val::F32(f.to_bits()),
                (Val::F64(f), _) => wasmtime::Val::F64(f.to_bits()),
            })
            .collect();
        let mut results = vec![wasmtime::Val::I32(0); ty.results().len()];
        f.call(&mut *store, &wargs, &mut results)
            .map_err(|e| format!("`{lib}.{func}` failed: {}", trap_message(&e)))?;
        Ok(results
            .iter()
            .filter_map(|r| match r {
                wasmtime::Val::I32(i) => Some(Val::I32(*i)),
                wasmtime::Val::I64(i) => Some(Val::I64(*i)),
                wasmtime::Val::F32(b) => Some(Val::F32(f32::from_bits(*b))),
                wasmtime::Val::F64(b) => Some(Val::F64(f64::from_bits(*b))),
                _ => None,
            })
            .collect())
    }
}
