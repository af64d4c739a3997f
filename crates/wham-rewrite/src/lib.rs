//! The bytecode-rewriting target: weaves a checked script into an app
//! module. The output is one ordinary module that needs only WASI.
//!
//! Flow: [`app`] reads and validates the app; [`plan`] decides which
//! probes apply to which events and what each needs; [`weave`] walks every
//! function with wasmparser's validator (operand types at each
//! instruction), folds each probe's predicate with the site's static facts
//! ([`facts`]) and splices in the code `wham-codegen` generates;
//! [`assemble`] writes the module, copying untouched functions and sections
//! as bytes; the result is validated before it is returned.

mod app;
mod assemble;
mod facts;
mod memories;
mod plan;
mod shadow;
pub mod support;
mod wasi_events;
mod weave;

pub use memories::{literal_memory_indices, missing_memory};
pub use plan::{CORE, DYNINSTR_MODULE, HOST_MODULE};
pub use wasi_events::lower as lower_wasi_events;
pub use weave::wasm_type;
/// The environment variable that overrides where the report goes.
pub use wham_codegen::destination::ENV_VAR as REPORT_ENV_VAR;

use std::fmt;
use wham_codegen::Unsupported;
use wham_lang::CheckedScript;

/// Where the report goes by default when the program ends (the
/// environment variable `WHAM_REPORT` overrides it at run time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReportTo {
    #[default]
    Stdout,
    Stderr,
    /// A file, created in the first directory the host makes visible.
    File(String),
}

#[derive(Default)]
pub struct Options {
    pub report_to: ReportTo,
    /// User libraries (`use name;`), imported by the output.
    pub libs: Vec<UserLib>,
    /// Runs `@static` library calls while instrumenting.
    pub evaluator: Option<Box<dyn LibEvaluator>>,
    /// Update counters at every instruction instead of once per basic
    /// block (exact even when a trap or `proc_exit` cuts a block short).
    pub no_batching: bool,
    /// Export the instrumentation memory under this name (the engine
    /// target's probe flags, which its host writes to remove probes).
    pub export_instr_memory: Option<String>,
    /// Allow the engine's own libraries (`whamm:dyninstr`).
    pub engine_libs: bool,
    /// Export the app's memories as `wham:app_memory<N>` (so the engine's
    /// host functions can copy from them for a monitor).
    pub export_app_memories: bool,
    /// Library functions that only count: a probe whose body is one call
    /// of such a function is batched per basic block like `count++`.
    pub lib_counters: Vec<LibCounter>,
}

/// A library function whose every call adds `delta` to one counter, and
/// the function that adds any amount to it (the engine finds these in a
/// monitor: `wham-engine`'s `counters.rs`).
#[derive(Clone, Debug)]
pub struct LibCounter {
    pub lib: String,
    pub func: String,
    /// `adder([address argument,] n)`: the counter gains `n`.
    pub adder: String,
    pub delta: i64,
    /// An i64 counter (else i32).
    pub wide: bool,
    /// Which argument of `func` says where the counter is (passed on to
    /// the adder); the others do not matter.
    pub address_arg: Option<u32>,
    /// Nothing reads the counter while the program runs (it is per-site
    /// state of a monitor the engine built): the sites of a basic block
    /// may share one count of wham's own, added to each site's counter
    /// when the program ends ([`DeferredCount`]).
    pub deferrable: bool,
}

/// A count the woven program keeps for a library's counter: when the
/// program ends, the host calls `lib.adder(address, delta * count)`,
/// `count` being the u64 at `slot` of the memory exported as
/// `Options::export_instr_memory`.
#[derive(Clone, Debug, PartialEq)]
pub struct DeferredCount {
    pub slot: u32,
    pub lib: String,
    pub adder: String,
    pub address: i32,
    pub delta: i64,
    pub wide: bool,
}

/// The name the app's memory `n` is exported under for the engine host.
pub fn app_memory_export(n: u32) -> String {
    format!("wham:app_memory{n}")
}

/// A user library given as `--user-libs name=path` (or
/// `name(module)=path` to import it under another module name).
pub struct UserLib {
    /// The name scripts use (`use name;`).
    pub name: String,
    /// The module name the output imports its functions from.
    pub module: String,
    /// The library's binary module (its exports give the signatures).
    pub bytes: Vec<u8>,
}

/// A Wasm value passed to or returned from a library function.
#[derive(Clone, Debug, PartialEq)]
pub enum WasmVal {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    /// A string argument: the evaluator places the bytes in the library's
    /// memory and passes (pointer, length), as the engine interface does.
    Str(Vec<u8>),
}

/// Calls library functions while instrumenting (`@static`). Library state
/// persists across calls, as the original's does.
pub trait LibEvaluator {
    fn call(&self, lib: &str, func: &str, args: &[WasmVal]) -> Result<Vec<WasmVal>, String>;
}

/// An instrumented module and what the user should know about it.
#[derive(Debug)]
pub struct Instrumented {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
    /// Number of (probe, site) pairs woven in.
    pub sites: usize,
    /// From places in the output back to the app's own.
    pub code_map: CodeMap,
    /// Counts to hand to libraries when the program ends.
    pub deferred: Vec<DeferredCount>,
    /// Every probe woven in, where (the engine's removal versions count
    /// the live ones per region).
    pub placements: Vec<Placement>,
}

/// A probe woven in at one site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The app's function index and the instruction's pc in the app.
    pub fid: u32,
    pub pc: u32,
    /// The probe's first per-site slot (the engine's `probe_id`, its
    /// removal flag), if it has one.
    pub slot: Option<u32>,
}

/// Where the app's functions and instructions are in the output, so a
/// place the engine reports (a trap) can be named as in the app.
#[derive(Debug, Default)]
pub struct CodeMap {
    /// Function imports of the app, and imports added before its
    /// functions (which move them).
    pub app_imports: u32,
    pub added_imports: u32,
    /// Per defined function: (output pc, app pc) of each instruction, in
    /// order; `None` when the body is unchanged.
    pub pcs: Vec<Option<Vec<(u32, u32)>>>,
}

impl CodeMap {
    /// The app's (fid, pc) for an output function and a pc in it.
    pub fn original(&self, func: u32, pc: u32) -> Option<(u32, u32)> {
        let fid = if func < self.app_imports {
            func
        } else {
            func.checked_sub(self.added_imports)?
        };
        let defined = fid.checked_sub(self.app_imports)? as usize;
        let pc = match self.pcs.get(defined)? {
            None => pc,
            Some(pairs) => match pairs.partition_point(|(new, _)| *new <= pc) {
                0 => 0,
                n => pairs[n - 1].1,
            },
        };
        Some((fid, pc))
    }
}

#[derive(Debug)]
pub enum Error {
    /// The app is not a valid module.
    BadModule(String),
    /// The app uses something the rewriter does not handle.
    Unsupported(String),
    /// Parts of the script this target cannot generate, with their spans.
    Script(Vec<Unsupported>),
    /// Parts of the script that do not fit this app (a memory it lacks),
    /// with their spans.
    Misfit(Vec<Unsupported>),
    /// A bug: the output did not validate, or similar.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadModule(m) => write!(f, "the app is not a valid WebAssembly module: {m}"),
            Error::Unsupported(m) => {
                write!(f, "the app uses something wham cannot instrument yet: {m}")
            }
            Error::Script(items) => {
                let whats: Vec<_> = items.iter().map(|u| u.what.as_str()).collect();
                write!(
                    f,
                    "not supported by the rewriting target yet: {}",
                    whats.join("; ")
                )
            }
            Error::Misfit(items) => {
                let whats: Vec<_> = items.iter().map(|u| u.what.as_str()).collect();
                write!(f, "the script does not fit the app: {}", whats.join("; "))
            }
            Error::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// The name under which the report flush is exported, for hosts to call
/// when a module has no entry point (a library) or the app trapped.
pub const FLUSH_EXPORT: &str = "wham_flush";

/// Instrument `app` (a binary module) with `script`.
pub fn instrument(
    script: &CheckedScript<'_>,
    app: &[u8],
    options: &Options,
) -> Result<Instrumented, Error> {
    let mut app = app::App::parse(app)?;
    let script = &wasi_events::lower(script);
    app.lib_memories = memories::lib_memories(script, &options.libs)?;
    memories::check_memory_indices(script, &app)?;
    let mut plan = plan::Plan::new(
        script,
        &app,
        &options.libs,
        &options.lib_counters,
        options.engine_libs,
    )?;
    if !options.no_batching {
        plan.find_batches(script, &options.lib_counters);
    }
    let mut woven = weave::Weaver::new(script, &app, &plan, options)?;
    woven.weave_all()?;
    let mut parts = woven.finish()?;
    parts
        .memory_aliases
        .extend(options.export_instr_memory.clone());
    if options.export_app_memories {
        for n in 0..app.memories.len() as u32 {
            parts
                .add
                .memory_exports
                .push((app_memory_export(n), app.memory(n)));
        }
    }
    let code_map = CodeMap {
        app_imports: app.num_func_imports(),
        added_imports: plan.imports.len() as u32,
        pcs: std::mem::take(&mut parts.pc_maps),
    };
    let mut warnings = plan.warnings.clone();
    for w in std::mem::take(&mut parts.warnings) {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let deferred = std::mem::take(&mut parts.deferred);
    let placements = std::mem::take(&mut parts.placements);
    let bytes = assemble::assemble(&app, &plan, parts, &mut warnings)?;
    validate_output(&bytes)?;
    Ok(Instrumented {
        bytes,
        warnings,
        sites: plan.sites_woven.get(),
        code_map,
        deferred,
        placements,
    })
}

/// Every output passes wasmparser's validator before anyone sees it; a
/// failure is our bug, reported with the function it is in.
fn validate_output(bytes: &[u8]) -> Result<(), Error> {
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    if let Err(e) = v.validate_all(bytes) {
        let offset = e.offset();
        let mut where_ = String::new();
        let mut fidx = None;
        let mut imports = 0u32;
        let mut defined = 0u32;
        for p in wasmparser::Parser::new(0).parse_all(bytes).flatten() {
            match p {
                wasmparser::Payload::ImportSection(r) => {
                    imports = r
                        .into_imports()
                        .flatten()
                        .filter(|i| {
                            matches!(
                                i.ty,
                                wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)
                            )
                        })
                        .count() as u32;
                }
                wasmparser::Payload::CodeSectionEntry(b) => {
                    if b.range().contains(&offset) {
                        fidx = Some(imports + defined);
                    }
                    defined += 1;
                }
                _ => {}
            }
        }
        if let Some(f) = fidx {
            where_ = format!(" in function {f}");
        }
        return Err(Error::Internal(format!(
            "the instrumented module does not validate{where_} (byte offset {offset:#x}): {}",
            e.message()
        )));
    }
    Ok(())
}
