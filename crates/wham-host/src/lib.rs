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
    /// Keep a copy of the program's exported memories and globals as they
    /// are when it ends (before any exit hook), to compare runs.
    pub snapshot: bool,
    /// The program's memories' initial sizes (pages, in index order), when
    /// libraries run before the program is loaded (a monitor): what code
    /// that asks for a memory's size then gets (start-up code, bind time).
    pub app_initial_pages: Option<Vec<u64>>,
}

/// The program's exported state at its end: (export name, bytes) for
/// memories, globals (the value as little-endian bytes) and tables (size
/// and each slot's content as text).
pub type Snapshot = Vec<(String, Vec<u8>)>;

/// How a run ended, with captured output when asked for.
#[derive(Debug)]
pub struct RunResult {
    pub outcome: Outcome,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// With `RunOptions::snapshot`.
    pub snapshot: Snapshot,
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
    // Programs built for threads declare shared memories; they run (on
    // one thread: WASI preview 1 has no way to start another).
    config.shared_memory(true);
    // Memories with page sizes other than 64 KiB (whamm's apps use them).
    config.wasm_custom_page_sizes(true);
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
        let finally = match &options.finally {
            Some(name) => Finally::App(name),
            None => Finally::Nothing,
        };
        Session::with_engine(self.engine.clone(), options)?.run_module(&self.module, finally)
    }
}

/// One run's world: WASI, the library instances (a monitor is one) and,
/// last, the program. Library functions can be called before the program
/// runs (bind-time calls); their state carries into the run.
pub struct Session {
    engine: Engine,
    linker: Linker<Host>,
    store: std::cell::RefCell<Store<Host>>,
    /// Library instances by import module name.
    instances: Vec<(String, wasmtime::Instance)>,
    pipes: Option<(MemoryOutputPipe, MemoryOutputPipe)>,
    snapshot: bool,
    trap_hook: Option<TrapHook>,
    counts: Option<Counts>,
}

/// Counts the program keeps for a library's counters: when the program
/// ends, before any hook, each counter gains `delta` times the u64 the
/// program holds at `slot` of its memory export `memory`, through
/// `lib.adder(address, amount)`.
pub struct Counts {
    pub memory: String,
    pub lib: String,
    pub transfers: Vec<CountTransfer>,
}

pub struct CountTransfer {
    pub slot: u32,
    pub adder: String,
    pub address: i32,
    pub delta: i64,
    /// An i64 counter (else i32).
    pub wide: bool,
}

/// A library export to call when the program traps, with the trap's kind
/// (in the library's `whamm_buffer`) and place: `(kind_ptr, kind_len,
/// fid, pc)`. `place` turns the place in the running module (function
/// index, pc from the body's start) into the one the user knows.
pub struct TrapHook {
    pub lib: String,
    pub export: String,
    pub place: PlaceMap,
}

/// From (function index, pc) in the running module to the app's own.
pub type PlaceMap = Box<dyn Fn(u32, u32) -> Option<(u32, u32)>>;

/// What the host functions see: WASI, and the program's probe flags (the
/// engine target's `whamm:dyninstr` sets them to remove probes).
pub struct Host {
    wasi: WasiP1Ctx,
    flags: Option<wasmtime::Memory>,
    /// Removals asked for before the program was instantiated.
    pending: Vec<u32>,
    /// Per probe flag: the counters of live probes of the regions it is
    /// in, in the flags memory (see [`Session::probe_regions`]).
    regions: std::collections::HashMap<u32, Vec<u32>>,
    /// The program's memories, for the monitor's copying reads.
    app_memories: Vec<wasmtime::Memory>,
    /// Whether the program is instantiated (its memories are known).
    app_started: bool,
    /// The program's memories' initial sizes in pages, when the engine
    /// says them before the program is loaded: what `app_mem_size` answers
    /// at bind time (per-site initialisers).
    app_initial_pages: Option<Vec<u64>>,
    /// Where copies of the program's bytes go: the memory and allocator
    /// of the library that exports `wham:alloc` (the monitor). Kept here,
    /// not looked up from the caller, because on the fused tier the
    /// caller is the program's instance.
    copy_to: Option<(wasmtime::Memory, wasmtime::TypedFunc<i32, i32>)>,
}

/// The name the program's memory `n` is exported under (the woven
/// program exports them when its monitor reads them).
pub fn app_memory_export(n: u32) -> String {
    format!("wham:app_memory{n}")
}

/// `wham:host`: a monitor reads the program's memory only through these,
/// which copy. `app_mem_size(mem) -> pages` (-1: no such memory);
/// `app_read(addr, len, mem) -> ptr`: `len` bytes from the program, copied
/// into memory the monitor allocates (its export `wham:alloc`); reading
/// outside the program's memory traps, as the program's own read would.
/// Why a monitor cannot read the program's memory yet: its start function
/// (`wasm:begin`, start-up code) runs before the program is loaded.
const BEFORE_APP: &str = "the monitor read the program's memory before the program was loaded (in `wasm:begin`, the script's start-up code or the program's start function, on the engine target)";

fn add_app_memory_reads(linker: &mut Linker<Host>) -> Result<(), RunError> {
    let load = |e: wasmtime::Error| RunError::Load(format!("{e:#}"));
    linker
        .func_wrap(
            "wham:host",
            "app_mem_size",
            |caller: wasmtime::Caller<'_, Host>, mem: i32| -> wasmtime::Result<i32> {
                if !caller.data().app_started {
                    let Some(initial) = &caller.data().app_initial_pages else {
                        return Err(wasmtime::Error::msg(BEFORE_APP));
                    };
                    return Ok(initial.get(mem as u32 as usize).map_or(-1, |&p| p as i32));
                }
                Ok(match caller.data().app_memories.get(mem as u32 as usize) {
                    Some(m) => m.size(&caller) as i32,
                    None => -1,
                })
            },
        )
        .map_err(load)?;
    linker
        .func_wrap(
            "wham:host",
            "app_read",
            |mut caller: wasmtime::Caller<'_, Host>,
             addr: i32,
             len: i32,
             mem: i32|
             -> wasmtime::Result<i32> {
                if !caller.data().app_started {
                    return Err(wasmtime::Error::msg(BEFORE_APP));
                }
                let Some(app) = caller.data().app_memories.get(mem as u32 as usize).copied() else {
                    return Err(wasmtime::Error::msg(format!(
                        "the program has no memory {mem} to read"
                    )));
                };
                let (addr, len) = (addr as u32 as usize, len as u32 as usize);
                let bytes = app
                    .data(&caller)
                    .get(addr..addr.saturating_add(len))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| {
                        wasmtime::Error::msg(format!(
                            "reading {len} bytes at {addr} of the program's memory: out of bounds"
                        ))
                    })?;
                let (mine, alloc) = caller.data().copy_to.clone().ok_or_else(|| {
                    wasmtime::Error::msg("the monitor exports no `wham:alloc` and `memory`")
                })?;
                let ptr = alloc.call(&mut caller, len as i32)?;
                mine.write(&mut caller, ptr as u32 as usize, &bytes)?;
                Ok(ptr)
            },
        )
        .map_err(load)?;
    Ok(())
}

/// The export of a library that receives copies of the program's bytes
/// (`wham:host.app_read`): `(bytes) -> ptr` in its `memory`.
pub const ALLOC_EXPORT: &str = "wham:alloc";

/// Set probe flag `id` (the probe's guard skips it from then on); the
/// first time, one probe fewer is live in each of its regions. An id that
/// is no flag (a hand-written monitor's mistake) is ignored, as the
/// original engine does.
fn remove_probe(flags: &mut [u8], id: u32, regions: &std::collections::HashMap<u32, Vec<u32>>) {
    match flags.get_mut(id as usize) {
        Some(b) if *b == 0 => *b = 1,
        _ => return,
    }
    for &counter in regions.get(&id).into_iter().flatten() {
        if let Some(word) = flags.get_mut(counter as usize..counter as usize + 4) {
            let live = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
            word.copy_from_slice(&live.saturating_sub(1).to_le_bytes());
        }
    }
}

/// Where the woven program exports its probe flags.
pub const PROBE_FLAGS_EXPORT: &str = "wham:probe_flags";

/// The engine library `whamm:dyninstr`: `remove_probe(probe_id)` sets the
/// probe's flag (`probe_id` is its address), so its guard skips it from
/// then on.
fn add_dyninstr(linker: &mut Linker<Host>) -> Result<(), RunError> {
    linker
        .func_wrap(
            "whamm:dyninstr",
            "remove_probe",
            |mut caller: wasmtime::Caller<'_, Host>, id: i32| {
                let id = id as u32;
                match caller.data().flags {
                    Some(mem) => {
                        let (data, host) = mem.data_and_store_mut(&mut caller);
                        remove_probe(data, id, &host.regions);
                    }
                    None => caller.data_mut().pending.push(id),
                }
            },
        )
        .map(|_| ())
        .map_err(|e| RunError::Load(format!("{e:#}")))
}

/// The exported memories and globals of `instance`.
fn snapshot(store: &mut Store<Host>, instance: wasmtime::Instance) -> Snapshot {
    let exports: Vec<(String, wasmtime::Extern)> = instance
        .exports(&mut *store)
        .map(|e| (e.name().to_string(), e.into_extern()))
        .collect();
    let mut out = Vec::new();
    for (name, ext) in exports {
        match ext {
            wasmtime::Extern::Memory(m) => out.push((name, m.data(&*store).to_vec())),
            wasmtime::Extern::Global(g) => {
                let bytes = match g.get(&mut *store) {
                    wasmtime::Val::I32(v) => v.to_le_bytes().to_vec(),
                    wasmtime::Val::I64(v) => v.to_le_bytes().to_vec(),
                    wasmtime::Val::F32(v) => v.to_le_bytes().to_vec(),
                    wasmtime::Val::F64(v) => v.to_le_bytes().to_vec(),
                    wasmtime::Val::V128(v) => v.as_u128().to_le_bytes().to_vec(),
                    _ => Vec::new(),
                };
                out.push((name, bytes));
            }
            // A table's size and, per slot, null or the referenced
            // function's type (a function's identity is not observable
            // across two instances, its type is).
            wasmtime::Extern::Table(t) => {
                let mut text = format!("size {}", t.size(&*store));
                for i in 0..t.size(&*store) {
                    let slot = match t.get(&mut *store, i) {
                        Some(wasmtime::Ref::Func(Some(f))) => format!("{}", f.ty(&*store)),
                        Some(wasmtime::Ref::Func(None)) | None => "null".to_string(),
                        Some(_) => "ref".to_string(),
                    };
                    text.push_str(&format!("; {slot}"));
                }
                out.push((name, text.into_bytes()));
            }
            _ => {}
        }
    }
    out
}

impl Session {
    /// Set up WASI as `options` say and instantiate `options.libs` in order.
    pub fn new(options: &RunOptions) -> Result<Session, RunError> {
        Session::with_engine(engine()?, options)
    }

    fn with_engine(engine: Engine, options: &RunOptions) -> Result<Session, RunError> {
        let mut linker: Linker<Host> = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi)
            .map_err(|e| RunError::Load(format!("{e:#}")))?;
        add_dyninstr(&mut linker)?;
        add_app_memory_reads(&mut linker)?;
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
        let mut store = Store::new(
            &engine,
            Host {
                wasi: builder.build_p1(),
                flags: None,
                pending: Vec::new(),
                regions: Default::default(),
                app_memories: Vec::new(),
                app_started: false,
                app_initial_pages: options.app_initial_pages.clone(),
                copy_to: None,
            },
        );
        let mut instances = Vec::new();
        for (name, bytes) in &options.libs {
            let lib = Module::new(&engine, bytes)
                .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
            let inst = linker
                .instantiate(&mut store, &lib)
                .map_err(|e| RunError::Load(format!("library `{name}`: {}", error_text(&e))))?;
            linker
                .instance(&mut store, name, inst)
                .map_err(|e| RunError::Load(format!("library `{name}`: {e:#}")))?;
            if store.data().copy_to.is_none()
                && let (Some(mem), Some(alloc)) = (
                    inst.get_memory(&mut store, "memory"),
                    inst.get_func(&mut store, ALLOC_EXPORT),
                )
                && let Ok(alloc) = alloc.typed::<i32, i32>(&store)
            {
                store.data_mut().copy_to = Some((mem, alloc));
            }
            instances.push((name.clone(), inst));
        }
        Ok(Session {
            engine,
            linker,
            store: std::cell::RefCell::new(store),
            instances,
            pipes,
            snapshot: options.snapshot,
            trap_hook: None,
            counts: None,
        })
    }

    /// Call `hook` if the program traps (before the exit hook).
    pub fn on_trap(&mut self, hook: TrapHook) {
        self.trap_hook = Some(hook);
    }

    /// The regions of each probe flag: `remove_probe` counts down each
    /// region's counter of live probes (a u32 in the flags memory), which
    /// the program reads to choose between its woven and plain code.
    pub fn probe_regions(&mut self, regions: impl IntoIterator<Item = (u32, Vec<u32>)>) {
        self.store.get_mut().data_mut().regions = regions.into_iter().collect();
    }

    /// Remove these probes as soon as the program is instantiated, as if
    /// each had removed itself (for measuring what removal leaves).
    pub fn remove_probes_at_start(&mut self, ids: impl IntoIterator<Item = u32>) {
        self.store.get_mut().data_mut().pending.extend(ids);
    }

    /// Hand `counts` to their library when the program ends.
    pub fn transfer_counts(&mut self, counts: Counts) {
        self.counts = Some(counts);
    }

    /// Make the program reach library `lib`'s functions through host
    /// functions that call them, instead of directly: each call leaves
    /// Wasm and comes back (the engine target's `host` tier, the slowest
    /// rung of its ladder, kept so the rungs can be measured).
    pub fn route_through_host(&mut self, lib: &str) -> Result<(), RunError> {
        let load = |e: wasmtime::Error| RunError::Load(format!("library `{lib}`: {e:#}"));
        let inst = self
            .instances
            .iter()
            .find(|(n, _)| n == lib)
            .map(|(_, i)| *i)
            .ok_or_else(|| RunError::Load(format!("library `{lib}` is not loaded")))?;
        let mut store = self.store.borrow_mut();
        let funcs: Vec<(String, wasmtime::Func)> = inst
            .exports(&mut *store)
            .filter_map(|e| {
                let name = e.name().to_string();
                e.into_func().map(|f| (name, f))
            })
            .collect();
        self.linker.allow_shadowing(true);
        for (name, f) in funcs {
            let ty = f.ty(&*store);
            self.linker
                .func_new(lib, &name, ty, move |mut caller, params, results| {
                    f.call(&mut caller, params, results)
                })
                .map_err(load)?;
        }
        self.linker.allow_shadowing(false);
        Ok(())
    }

    /// Compile and run `wasm` (linked to the libraries) to completion, then
    /// call `finally` (library module, export) however the program ended.
    pub fn run(self, wasm: &[u8], finally: Finally<'_>) -> Result<RunResult, RunError> {
        let module = self.compile(wasm)?;
        self.run_compiled(&module, finally)
    }

    /// Compile a program for this session (so a benchmark can time the run
    /// alone).
    pub fn compile(&self, wasm: &[u8]) -> Result<Module, RunError> {
        Module::new(&self.engine, wasm).map_err(|e| RunError::Load(format!("{e:#}")))
    }

    /// Run a program [`Session::compile`] made.
    pub fn run_compiled(
        self,
        module: &Module,
        finally: Finally<'_>,
    ) -> Result<RunResult, RunError> {
        self.run_module(module, finally)
    }

    fn run_module(self, module: &Module, finally: Finally<'_>) -> Result<RunResult, RunError> {
        let Session {
            linker,
            store,
            instances,
            pipes,
            snapshot: want_snapshot,
            trap_hook,
            counts,
            ..
        } = self;
        let mut trapped_at: Option<(String, u32, u32)> = None;
        let mut store = store.into_inner();
        let (mut outcome, instance) = match linker.instantiate(&mut store, module) {
            Ok(instance) => {
                store.data_mut().app_started = true;
                let mut n = 0;
                while let Some(m) = instance.get_memory(&mut store, &app_memory_export(n)) {
                    store.data_mut().app_memories.push(m);
                    n += 1;
                }
                if let Some(flags) = instance.get_memory(&mut store, PROBE_FLAGS_EXPORT) {
                    let pending = std::mem::take(&mut store.data_mut().pending);
                    let (data, host) = flags.data_and_store_mut(&mut store);
                    for id in pending {
                        remove_probe(data, id, &host.regions);
                    }
                    store.data_mut().flags = Some(flags);
                }
                let entry = ["_start", "main"]
                    .iter()
                    .find_map(|name| instance.get_typed_func::<(), ()>(&mut store, name).ok());
                let outcome = match entry {
                    Some(f) => match f.call(&mut store, ()) {
                        Ok(()) => Outcome::Exited(0),
                        Err(e) => {
                            trapped_at = trap_place(&e, module, trap_hook.as_ref());
                            ended_in(e, module, trap_hook.as_ref())
                        }
                    },
                    // A module without an entry point ran its start function
                    // (if any) when it was instantiated; that was the program.
                    None => Outcome::Exited(0),
                };
                (outcome, Some(instance))
            }
            // A trap in the start function is the program trapping.
            Err(e)
                if e.downcast_ref::<wasmtime::Trap>().is_some()
                    || e.downcast_ref::<I32Exit>().is_some() =>
            {
                trapped_at = trap_place(&e, module, trap_hook.as_ref());
                (ended_in(e, module, trap_hook.as_ref()), None)
            }
            Err(e) => return Err(RunError::Load(format!("{e:#}"))),
        };
        let state = match instance {
            Some(i) if want_snapshot => snapshot(&mut store, i),
            _ => Vec::new(),
        };
        if let (Some(counts), Some(program)) = (&counts, instance)
            && let Err(e) = transfer(&mut store, program, &instances, counts)
            && outcome == Outcome::Exited(0)
        {
            outcome = Outcome::Trapped(format!("handing counts to the monitor: {e}"));
        }
        if let (Some(hook), Some((kind, func, pc))) = (&trap_hook, &trapped_at)
            && let Some((_, inst)) = instances.iter().find(|(n, _)| *n == hook.lib)
            && let Some(f) = inst.get_func(&mut store, &hook.export)
            && let Ok(f) = f.typed::<(i32, i32, i32, i32), ()>(&store)
        {
            let (fid, pc) = (hook.place)(*func, *pc).unwrap_or((*func, *pc));
            if let Some((mem, at, _)) = string_buffer(*inst, &mut store)
                && mem.write(&mut store, at, kind.as_bytes()).is_ok()
                && let Err(e) = f.call(
                    &mut store,
                    (at as i32, kind.len() as i32, fid as i32, pc as i32),
                )
            {
                eprintln!(
                    "warning: the monitor's `{}` failed: {}",
                    hook.export,
                    trap_message(&e)
                );
            }
        }
        // After a trap the program's state is whatever it was; the report
        // still reflects everything that ran.
        let hook = match finally {
            Finally::Nothing => None,
            Finally::App(name) => instance.and_then(|i| i.get_func(&mut store, name)),
            Finally::Library(lib, name) => instances
                .iter()
                .find(|(n, _)| n == lib)
                .and_then(|(_, i)| i.get_func(&mut store, name)),
        };
        if let Some(f) = hook
            && let Ok(f) = f.typed::<(), ()>(&store)
            && let Err(e) = f.call(&mut store, ())
            && outcome == Outcome::Exited(0)
        {
            outcome = Outcome::Trapped(format!("in the exit hook: {}", trap_message(&e)));
        }
        let mut r = result(outcome, &pipes);
        r.snapshot = state;
        Ok(r)
    }

    /// Call `func` of library `lib`; integer arguments are widened or
    /// narrowed to the parameter types; a string is written to the
    /// library's `whamm_buffer` and passed as (pointer, length).
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
        let mut flat: Vec<Val> = Vec::new();
        let mut buffer_at: Option<(wasmtime::Memory, usize, usize)> = None;
        for a in args {
            let Val::Str(bytes) = a else {
                flat.push(a.clone());
                continue;
            };
            if buffer_at.is_none() {
                buffer_at = Some(string_buffer(inst, &mut store).ok_or_else(|| {
                    format!("library `{lib}` exports no `whamm_buffer` memory for strings")
                })?);
            }
            let (mem, at, end) = buffer_at.as_mut().expect("set above");
            if *at + bytes.len() > *end {
                return Err(format!(
                    "a string of {} bytes does not fit `{lib}`'s whamm_buffer",
                    bytes.len()
                ));
            }
            mem.write(&mut *store, *at, bytes)
                .map_err(|e| format!("writing to `{lib}`'s whamm_buffer: {e}"))?;
            flat.push(Val::I32(*at as i32));
            flat.push(Val::I32(bytes.len() as i32));
            *at += bytes.len();
        }
        if params.len() != flat.len() {
            return Err(format!(
                "`{lib}.{func}` takes {} arguments, given {}",
                params.len(),
                flat.len()
            ));
        }
        let wargs: Vec<wasmtime::Val> = flat
            .iter()
            .zip(&params)
            .map(|(a, p)| match (a, p) {
                (Val::I32(i), wasmtime::ValType::I64) => wasmtime::Val::I64(*i as i64),
                (Val::I64(i), wasmtime::ValType::I32) => wasmtime::Val::I32(*i as i32),
                (Val::I32(i), _) => wasmtime::Val::I32(*i),
                (Val::I64(i), _) => wasmtime::Val::I64(*i),
                (Val::F32(f), _) => wasmtime::Val::F32(f.to_bits()),
                (Val::F64(f), _) => wasmtime::Val::F64(f.to_bits()),
                (Val::Str(_), _) => wasmtime::Val::I32(0),
            })
            .collect();
        let mut results = vec![wasmtime::Val::I32(0); ty.results().len()];
        f.call(&mut *store, &wargs, &mut results)
            .map_err(|e| format!("`{lib}.{func}` trapped: {}", trap_message(&e)))?;
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

/// Add the program's counts to the library's counters.
fn transfer(
    store: &mut Store<Host>,
    program: wasmtime::Instance,
    instances: &[(String, wasmtime::Instance)],
    counts: &Counts,
) -> Result<(), String> {
    let memory = program
        .get_memory(&mut *store, &counts.memory)
        .ok_or_else(|| format!("the program exports no `{}`", counts.memory))?;
    let lib = instances
        .iter()
        .find(|(n, _)| *n == counts.lib)
        .map(|(_, i)| *i)
        .ok_or_else(|| format!("library `{}` is not loaded", counts.lib))?;
    let mut adders: Vec<(&str, wasmtime::Func)> = Vec::new();
    for t in &counts.transfers {
        let mut bytes = [0u8; 8];
        memory
            .read(&*store, t.slot as usize, &mut bytes)
            .map_err(|e| e.to_string())?;
        let amount = u64::from_le_bytes(bytes).wrapping_mul(t.delta as u64);
        if amount == 0 {
            continue;
        }
        let f = match adders.iter().find(|(n, _)| *n == t.adder) {
            Some((_, f)) => *f,
            None => {
                let f = lib
                    .get_func(&mut *store, &t.adder)
                    .ok_or_else(|| format!("`{}` exports no `{}`", counts.lib, t.adder))?;
                adders.push((&t.adder, f));
                f
            }
        };
        let n = if t.wide {
            wasmtime::Val::I64(amount as i64)
        } else {
            wasmtime::Val::I32(amount as i32)
        };
        f.call(&mut *store, &[wasmtime::Val::I32(t.address), n], &mut [])
            .map_err(|e| trap_message(&e))?;
    }
    Ok(())
}

/// What the host calls after the program ends, however it ends.
#[derive(Clone, Copy, Debug)]
pub enum Finally<'a> {
    Nothing,
    /// An export of the program (a rewritten module's report flush).
    App(&'a str),
    /// An export of a library (a monitor's `wasm:exit`).
    Library(&'a str, &'a str),
}

/// Where a library takes strings from the host: its `whamm_buffer`
/// memory, from `whamm_buffer:start` for `whamm_buffer:max` bytes (the
/// engine interface's convention): (memory, start, end).
fn string_buffer(
    inst: wasmtime::Instance,
    store: &mut Store<Host>,
) -> Option<(wasmtime::Memory, usize, usize)> {
    let mem = inst.get_memory(&mut *store, "whamm_buffer")?;
    let mut global = |name: &str| {
        inst.get_global(&mut *store, name)
            .and_then(|g| g.get(&mut *store).i32())
            .map(|v| v as u32 as usize)
    };
    let start = global("whamm_buffer:start").unwrap_or(0);
    let max = global("whamm_buffer:max").unwrap_or(1024);
    Some((mem, start, start + max))
}

/// The text of a set-up error: a trap's message without host frames.
fn error_text(e: &wasmtime::Error) -> String {
    if e.downcast_ref::<wasmtime::Trap>().is_some() {
        format!("trapped while starting: {}", trap_message(e))
    } else {
        format!("{e:#}")
    }
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
        snapshot: Vec::new(),
    }
}

/// A trap's kind, in a few words, and where in `module` it happened (the
/// innermost frame of that module that the hook's place map knows, i.e.
/// in the app's own code: function index, pc from the start of the body,
/// locals included).
fn trap_place(
    e: &wasmtime::Error,
    module: &Module,
    hook: Option<&TrapHook>,
) -> Option<(String, u32, u32)> {
    use wasmtime::Trap as T;
    let trap = e.downcast_ref::<T>()?;
    let kind = match trap {
        T::UnreachableCodeReached => "unreachable".to_string(),
        T::IntegerDivisionByZero => "integer divide by zero".to_string(),
        T::IntegerOverflow => "integer overflow".to_string(),
        T::MemoryOutOfBounds => "out of bounds memory access".to_string(),
        T::TableOutOfBounds => "out of bounds table access".to_string(),
        T::IndirectCallToNull => "indirect call to null".to_string(),
        T::BadSignature => "indirect call type mismatch".to_string(),
        T::BadConversionToInteger => "invalid conversion to integer".to_string(),
        T::StackOverflow => "call stack exhausted".to_string(),
        T::NullReference => "null reference".to_string(),
        other => other.to_string(),
    };
    let bt = e.downcast_ref::<wasmtime::WasmBacktrace>()?;
    let frame = bt.frames().iter().find(|f| {
        Module::same(f.module(), module)
            && hook.is_none_or(|h| {
                (h.place)(f.func_index(), f.func_offset().unwrap_or(0) as u32).is_some()
            })
    })?;
    let pc = frame.func_offset().unwrap_or(0) as u32;
    Some((kind, frame.func_index(), pc))
}

/// The trap and the functions on the stack, innermost first, by name
/// where the module has one. (No host backtrace: the user's program
/// trapped, not wham.)
fn trap_message(e: &wasmtime::Error) -> String {
    trap_message_in(e, None)
}

/// How a run that failed with `e` ended: `proc_exit`, or a trap named with
/// the frames of `module` as the app knows them (a woven program's
/// functions are renumbered).
fn ended_in(e: wasmtime::Error, module: &Module, hook: Option<&TrapHook>) -> Outcome {
    if let Some(exit) = e.downcast_ref::<I32Exit>() {
        return Outcome::Exited(exit.0);
    }
    Outcome::Trapped(trap_message_in(&e, hook.map(|h| (module, &h.place))))
}

fn trap_message_in(e: &wasmtime::Error, map: Option<(&Module, &PlaceMap)>) -> String {
    let what = match e.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => e.root_cause().to_string(),
    };
    let mut msg = what;
    if let Some(bt) = e.downcast_ref::<wasmtime::WasmBacktrace>() {
        for frame in bt.frames() {
            let index = match map {
                Some((m, place)) if Module::same(frame.module(), m) => {
                    place(frame.func_index(), 0).map_or(frame.func_index(), |(f, _)| f)
                }
                _ => frame.func_index(),
            };
            let name = frame
                .func_name()
                .map_or_else(|| format!("function {index}"), str::to_string);
            msg.push_str(&format!("\n    in {name}"));
        }
    }
    msg
}

/// A Wasm value passed to or returned from a library function.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    /// Passed as (pointer, length) into the library's `whamm_buffer`.
    Str(Vec<u8>),
}
