//! The monitor as the fused tier starts it: the same module with its
//! whole state exported, so the fused module can import that state and
//! share it with the live instance that ran the bind-time calls.

use super::module_info::ModuleInfo;
use std::collections::BTreeSet;
use wasm_encoder::{ExportKind, ExportSection, Module, RawSection};
use wasmparser::{ExternalKind, Operator, Parser};

/// Export names of the monitor's state, by kind and index.
pub fn func_export(i: u32) -> String {
    format!("wham:fuse:func{i}")
}
pub fn memory_export(i: u32) -> String {
    format!("wham:fuse:memory{i}")
}
pub fn global_export(i: u32) -> String {
    format!("wham:fuse:global{i}")
}
pub fn table_export(i: u32) -> String {
    format!("wham:fuse:table{i}")
}

/// Import modules whose functions act on the caller's exported memory:
/// a monitor function that calls one must run in the monitor's own
/// instance, or it would act on the program's memory.
fn acts_on_caller(module: &str) -> bool {
    module.starts_with("wasi_")
}

/// A monitor ready to be fused.
pub struct Exposed {
    /// The monitor with its state exported (this is what the engine
    /// instantiates).
    pub bytes: Vec<u8>,
    /// Defined functions that stay in the live instance (they call WASI,
    /// which reads the caller's memory); the fused module imports them.
    pub pinned: BTreeSet<u32>,
}

/// Why a monitor cannot be fused.
pub fn expose(monitor: &[u8]) -> Result<Exposed, String> {
    let info = ModuleInfo::parse(monitor).map_err(|e| e.message().to_string())?;
    if info.tags.total() > 0 {
        return Err("the monitor has exception tags, which the fused tier does not share".into());
    }
    let caller_bound: BTreeSet<u32> = info
        .func_imports()
        .enumerate()
        .filter(|(_, imp)| acts_on_caller(imp.module))
        .map(|(i, _)| i as u32)
        .collect();
    let mut pinned = BTreeSet::new();
    for (k, body) in info.bodies.iter().enumerate() {
        let mut ops = body
            .get_operators_reader()
            .map_err(|e| e.message().to_string())?;
        while !ops.eof() {
            let op = ops.read().map_err(|e| e.message().to_string())?;
            if let Operator::Call { function_index } | Operator::ReturnCall { function_index } = op
                && caller_bound.contains(&function_index)
            {
                pinned.insert(info.funcs.imported + k as u32);
                break;
            }
        }
    }
    let mut exports = ExportSection::new();
    for (name, kind, index) in &info.exports {
        exports.export(name, kind_of(*kind), *index);
    }
    for i in 0..info.funcs.imported {
        exports.export(&func_export(i), ExportKind::Func, i);
    }
    for &f in &pinned {
        exports.export(&func_export(f), ExportKind::Func, f);
    }
    for i in 0..info.memories.total() {
        exports.export(&memory_export(i), ExportKind::Memory, i);
    }
    for i in 0..info.globals.total() {
        exports.export(&global_export(i), ExportKind::Global, i);
    }
    for i in 0..info.tables.total() {
        exports.export(&table_export(i), ExportKind::Table, i);
    }
    let mut out = Module::new();
    let mut placed = false;
    for payload in Parser::new(0).parse_all(monitor) {
        let payload = payload.map_err(|e| e.message().to_string())?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        // The export section comes after globals and before the start,
        // element, data count, code and data sections.
        let after_exports = matches!(id, 8..=12);
        if id == 7 || (after_exports && !placed) {
            out.section(&exports);
            placed = true;
            if id == 7 {
                continue;
            }
        }
        out.section(&RawSection {
            id,
            data: &monitor[range],
        });
    }
    if !placed {
        out.section(&exports);
    }
    Ok(Exposed {
        bytes: out.finish(),
        pinned,
    })
}

pub fn kind_of(kind: ExternalKind) -> ExportKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
        ExternalKind::Table => ExportKind::Table,
        ExternalKind::Memory => ExportKind::Memory,
        ExternalKind::Global => ExportKind::Global,
        ExternalKind::Tag => ExportKind::Tag,
    }
}
