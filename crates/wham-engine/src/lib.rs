//! The engine target: the unmodified app runs beside a sandboxed monitor
//! module that wham's engine attaches to it when it loads.
//!
//! * [`build`] turns a script into a standalone monitor module (no app
//!   needed), its probes exported under names that say where they go
//!   ([`abi`]);
//! * [`bind`] is what the engine does when it loads an app beside a
//!   monitor: match the monitor's exports against the app, ask the live
//!   monitor for predicates and per-site state, and weave calls to the
//!   monitor's probe functions into the app (the rewriter's own weaving);
//! * [`run`] runs the result on wham's wasmtime host.

pub mod abi;
mod admit;
mod bind;
mod build;
mod counters;
pub mod evaluator;
pub mod fuse;
mod module_info;
pub mod prepare;
pub mod run;
mod tier;
mod versions;
pub mod wizard;

pub use bind::{FLAGS_EXPORT, MONITOR, weave_calls};
pub use build::TRAP_EXPORT;
pub use run::{Bound, EngineError, EngineOptions, EngineRun, FINALLY, bind, run_with_monitor};
pub use tier::Tier;

use wham_rewrite::support::{Exposure, support_module};
use wham_rewrite::{Error, Instrumented, Options};

/// A monitor's heap allocator `(bytes) -> ptr`, which the host uses to
/// copy app bytes into it (`read_str` and friends).
pub const ALLOC_EXPORT: &str = "wham:alloc";

/// The export the engine calls when the program ends however it ends.
pub const EXIT_EXPORT: &str = "wasm:exit";

/// The version of wham's extensions to the export-name grammar, exported
/// as an immutable i32 global so engines can tell (the original engine
/// ignores it).
pub const ABI_VERSION_EXPORT: &str = "wham:abi_version";
pub const ABI_VERSION: i32 = 1;

/// Bytes of the buffer bind-time strings are written to.
const BUFFER_BYTES: u32 = 4096;

/// Whether `script` fits `app` (a binary module): every memory index it
/// writes as a number names one of the app's memories. A monitor is built
/// without the app, so this is checked when the two meet.
pub fn check_app_fit(script: &wham_lang::CheckedScript<'_>, app: &[u8]) -> Result<(), Error> {
    let literal = wham_rewrite::literal_memory_indices(script);
    if literal.is_empty() {
        return Ok(());
    }
    let count = module_info::ModuleInfo::parse(app)
        .map_err(|e| Error::BadModule(e.to_string()))?
        .memory_types
        .len();
    let errors: Vec<_> = literal
        .into_iter()
        .filter(|(_, m, _)| !usize::try_from(*m).is_ok_and(|m| m < count))
        .map(|(name, m, span)| wham_rewrite::missing_memory(&name, m, span, count))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Misfit(errors))
    }
}

/// Compile `script` into a monitor module.
pub fn build(
    script: &wham_lang::CheckedScript<'_>,
    options: &Options,
) -> Result<Instrumented, Error> {
    let script = wham_rewrite::lower_wasi_events(script);
    let (script, abis) = build::prepare(&script).map_err(Error::Script)?;
    let exposure = Exposure {
        memory_aliases: vec!["whamm_buffer".into()],
        flush_aliases: vec![EXIT_EXPORT.into()],
    };
    let (bytes, warnings) = support_module(&script, options, exposure, |s| {
        build::probe_functions(s, &abis);
        if s.app_memory_host.is_some() {
            // The host copies app bytes into memory it gets from here.
            let heap = wham_codegen::maps::MapRuntime::get(s.add);
            s.add.exports.push((ALLOC_EXPORT.to_string(), heap.alloc));
        }
        // Where the engine writes strings for bind-time calls (`fname`).
        let buffer = s.add.alloc(BUFFER_BYTES, 8);
        for (name, value) in [
            ("whamm_buffer:start", buffer as i32),
            ("whamm_buffer:max", BUFFER_BYTES as i32),
            (ABI_VERSION_EXPORT, ABI_VERSION),
        ] {
            let g = s.add.add_const_global(
                name,
                wasm_encoder::ValType::I32,
                wasm_encoder::ConstExpr::i32_const(value),
            );
            s.add.global_exports.push((name.to_string(), g));
        }
    })?;
    Ok(Instrumented {
        bytes,
        warnings,
        sites: abis.len(),
        code_map: Default::default(),
        deferred: Vec::new(),
        placements: Vec::new(),
    })
}
