//! What a script adds to a module, generated for a module without code:
//! globals, user functions, maps, strings, printing, `wasm:begin`/
//! `wasm:end`, the report. The engine target builds its monitor modules on
//! this (`wham-engine`), so both targets share one code generator; the
//! caller adds its own functions and exports through [`Support`].

use crate::weave::Weaver;
use crate::{Error, Options, app, assemble, plan};
use wham_codegen::ScriptState;
use wham_codegen::Unsupported;
use wham_codegen::eval::AppMemoryHost;
use wham_codegen::module::Additions;
use wham_codegen::report::{DynRows, RowKinds};
use wham_codegen::runtime::Runtime;
use wham_lang::CheckedScript;

/// An app with nothing in it: what the support code is woven around.
const EMPTY_MODULE: &[u8] = b"\0asm\x01\0\0\0";

/// The generator's state while the caller adds its functions: what the
/// script's code needs to be lowered (`wham_codegen::Lowerer`) into the
/// module being built.
pub struct Support<'w> {
    pub script: &'w CheckedScript<'w>,
    pub add: &'w mut Additions,
    pub state: &'w ScriptState,
    /// Printing, when the module prints.
    pub rt: Option<Runtime>,
    /// Printers of map and tuple report rows.
    pub row_kinds: &'w mut RowKinds,
    /// Report rows registered while the module runs, when the caller sets
    /// them up.
    pub dyn_rows: &'w mut Option<DynRows>,
    /// What the caller could not generate; [`support_module`] fails with
    /// them.
    pub errors: &'w mut Vec<Unsupported>,
    /// The host functions that read the app's memory, if the script uses
    /// them.
    pub app_memory_host: Option<AppMemoryHost>,
}

/// How the finished module exposes itself.
#[derive(Default)]
pub struct Exposure {
    /// More names to export the module's memory under (it is always
    /// exported as `memory`, which WASI writes from).
    pub memory_aliases: Vec<String>,
    /// More names to export the report flush under.
    pub flush_aliases: Vec<String>,
}

/// A module holding the code `script` adds (for `options`), plus what
/// `extend` adds; the engine's own libraries (`whamm:dyninstr`) may be
/// imported. Validated before it is returned; the warnings come with it.
pub fn support_module(
    script: &CheckedScript<'_>,
    options: &Options,
    exposure: Exposure,
    extend: impl FnOnce(&mut Support<'_>),
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let empty = app::App::parse(EMPTY_MODULE)?;
    let mut plan = plan::Plan::new(script, &empty, &options.libs, &[], true)?;
    plan.for_monitor();
    let mut w = Weaver::new(script, &empty, &plan, options)?;
    {
        let mut s = Support {
            script: w.script,
            add: &mut w.add,
            state: &w.state,
            rt: w.rt,
            row_kinds: &mut w.row_kinds,
            dyn_rows: &mut w.dyn_rows,
            errors: &mut w.errors,
            app_memory_host: plan
                .app_memory_host
                .map(|(size, read)| AppMemoryHost { size, read }),
        };
        extend(&mut s);
    }
    let mut parts = w.finish()?;
    let flush = parts
        .add
        .exports
        .iter()
        .find(|(n, _)| n == crate::FLUSH_EXPORT)
        .map(|(_, f)| *f);
    if let Some(f) = flush {
        for alias in exposure.flush_aliases {
            parts.add.exports.push((alias, f));
        }
    }
    parts.export_memory = true;
    parts.memory_aliases.extend(exposure.memory_aliases);
    let mut warnings = Vec::new();
    let bytes = assemble::assemble(&empty, &plan, parts, &mut warnings)?;
    crate::validate_output(&bytes)?;
    Ok((bytes, warnings))
}
