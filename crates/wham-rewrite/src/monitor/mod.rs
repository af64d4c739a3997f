//! The engine target's two halves that work on modules:
//!
//! * [`build`]: a script as a standalone monitor module (no app needed),
//!   its probes exported under names that say where they go (`abi`);
//! * [`weave_calls`]: what wham's engine does when it loads an app beside
//!   a monitor: match the monitor's exports against the app, ask the live
//!   monitor for predicates and per-site state, and weave calls to the
//!   monitor's probe functions into the app. The weaving is the
//!   rewriter's own; each export becomes a probe whose body is the call.

pub mod abi;
mod bind;
mod build;

pub use bind::{FLAGS_EXPORT, MONITOR, weave_calls};
pub use build::TRAP_EXPORT;

use crate::{Error, Instrumented, Options, app, assemble, plan, weave};

/// An app with nothing in it: what the monitor's support code is woven
/// around.
const EMPTY_MODULE: &[u8] = b"\0asm\x01\0\0\0";

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

/// Compile `script` into a monitor module.
pub fn build(
    script: &wham_lang::CheckedScript<'_>,
    options: &Options,
) -> Result<Instrumented, Error> {
    let empty = app::App::parse(EMPTY_MODULE)?;
    let script = crate::wasi_events::lower(script);
    let (script, abis) = build::prepare(&script).map_err(Error::Script)?;
    let mut plan = plan::Plan::new(&script, &empty, &options.libs, true)?;
    plan.for_monitor();
    let mut w = weave::Weaver::new(&script, &empty, &plan, options)?;
    w.monitor_probes(&abis);
    w.monitor_trap();
    if plan.app_memory_host.is_some() {
        // The host copies app bytes into memory it gets from here.
        let heap = wham_codegen::maps::MapRuntime::get(&mut w.add);
        w.add.exports.push((ALLOC_EXPORT.to_string(), heap.alloc));
    }
    // Where the engine writes strings for bind-time calls (`fname`).
    let buffer = w.add.alloc(BUFFER_BYTES, 8);
    for (name, value) in [
        ("whamm_buffer:start", buffer),
        ("whamm_buffer:max", BUFFER_BYTES),
    ] {
        let g = w.add.add_const_global(
            name,
            wasm_encoder::ValType::I32,
            wasm_encoder::ConstExpr::i32_const(value as i32),
        );
        w.add.global_exports.push((name.to_string(), g));
    }
    let version = w.add.add_const_global(
        ABI_VERSION_EXPORT,
        wasm_encoder::ValType::I32,
        wasm_encoder::ConstExpr::i32_const(ABI_VERSION),
    );
    w.add
        .global_exports
        .push((ABI_VERSION_EXPORT.to_string(), version));
    let mut parts = w.finish()?;
    let flush = parts
        .add
        .exports
        .iter()
        .find(|(n, _)| n == crate::FLUSH_EXPORT)
        .map(|(_, f)| *f);
    if let Some(f) = flush {
        parts.add.exports.push((EXIT_EXPORT.to_string(), f));
    }
    parts.export_memory = true;
    parts.memory_aliases.push("whamm_buffer".into());
    let mut warnings = Vec::new();
    let bytes = assemble::assemble(&empty, &plan, parts, &mut warnings)?;
    crate::validate_output(&bytes)?;
    Ok(Instrumented {
        bytes,
        warnings,
        sites: abis.len(),
        code_map: Default::default(),
    })
}
