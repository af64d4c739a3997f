//! The monitor as the engine starts it: the same module plus
//!
//! * an adder per counting probe (`counters.rs`), so sites can count once
//!   per basic block;
//! * exports of its whole state (memories, globals, tables) and of its
//!   imports, so the fused module can import them and share them with the
//!   live instance that runs the bind-time calls and `wasm:exit`.
//!
//! Nothing else changes: its own exports, code and start function are the
//! ones it came with.

use crate::counters::{self, Counter};
use crate::module_info::ModuleInfo;
use std::collections::BTreeSet;
use wasm_encoder::{
    CodeSection, Encode, ExportKind, ExportSection, FunctionSection, Module, RawSection,
    TypeSection,
};
use wasmparser::{ExternalKind, Operator, Parser};

/// Export names of the monitor's state and imports, by kind and index.
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
/// The `n`-th adder (counting probes that count in the same place share
/// one).
pub fn adder_export(n: usize) -> String {
    format!("wham:add{n}")
}

/// Import modules whose functions act on the caller's exported memory:
/// a monitor function that calls one must run in the monitor's own
/// instance, or it would act on the program's memory.
fn acts_on_caller(module: &str) -> bool {
    module.starts_with("wasi_")
}

/// A counting probe export and its adder.
#[derive(Clone, Debug)]
pub struct CountingProbe {
    pub export: String,
    pub counter: Counter,
    pub adder: String,
    /// Its counter is per-site state nothing reads while the program runs,
    /// so the engine may hand it its count when the program ends: a cell
    /// of the block `$alloc` made, in a monitor wham built (in the
    /// language, a site's `unshared` variables are its probe's alone, and
    /// the report reads them at the end).
    pub deferrable: bool,
}

/// A monitor ready to start.
pub struct Prepared {
    /// The monitor with its adders and exports (what the engine
    /// instantiates).
    pub bytes: Vec<u8>,
    /// Defined functions that stay in the live instance on the fused
    /// tier (they call WASI, which reads the caller's memory).
    pub pinned: BTreeSet<u32>,
    pub counting: Vec<CountingProbe>,
    /// Why the fused tier cannot take this monitor, if it cannot.
    pub unfusable: Option<String>,
    /// Whether its probes can remove themselves (it imports
    /// `whamm:dyninstr`).
    pub removes_probes: bool,
}

/// `count` more entries `extra` (encoded) at the end of a vector section
/// whose contents are `data`.
fn append_entries(data: &[u8], count: u32, extra: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = wasmparser::BinaryReader::new(data, 0);
    let old = reader.read_var_u32().map_err(|e| e.message().to_string())?;
    let mut out = Vec::new();
    (old + count).encode(&mut out);
    out.extend_from_slice(&data[reader.original_position()..]);
    out.extend_from_slice(extra);
    Ok(out)
}

/// The entries of an encoded section, without its size and count.
fn entries(section: &impl Encode) -> Vec<u8> {
    let mut bytes = Vec::new();
    section.encode(&mut bytes);
    let mut reader = wasmparser::BinaryReader::new(&bytes, 0);
    let _size = reader.read_var_u32();
    let _count = reader.read_var_u32();
    bytes[reader.original_position()..].to_vec()
}

pub fn prepare(monitor: &[u8]) -> Result<Prepared, String> {
    let bad = |e: wasmparser::BinaryReaderError| e.message().to_string();
    let info = ModuleInfo::parse(monitor).map_err(bad)?;
    let built_by_wham = info
        .exports
        .iter()
        .any(|(n, k, _)| *n == crate::ABI_VERSION_EXPORT && *k == ExternalKind::Global);
    let unfusable = (info.tags.total() > 0)
        .then(|| "the monitor has exception tags, which the fused tier does not share".into());
    let caller_bound: BTreeSet<u32> = info
        .func_imports()
        .enumerate()
        .filter(|(_, imp)| acts_on_caller(imp.module))
        .map(|(i, _)| i as u32)
        .collect();
    let mut pinned = BTreeSet::new();
    for (k, body) in info.bodies.iter().enumerate() {
        let mut ops = body.get_operators_reader().map_err(bad)?;
        while !ops.eof() {
            if let Operator::Call { function_index } | Operator::ReturnCall { function_index } =
                ops.read().map_err(bad)?
                && caller_bound.contains(&function_index)
            {
                pinned.insert(info.funcs.imported + k as u32);
                break;
            }
        }
    }

    // Adders: one new type and function per place counted in.
    let mut counting = Vec::new();
    let mut adders: Vec<(counters::Place, bool)> = Vec::new();
    let mut types = TypeSection::new();
    let mut functions = FunctionSection::new();
    let mut code = CodeSection::new();
    let mut exports = ExportSection::new();
    for (name, kind, index) in &info.exports {
        exports.export(name, crate::module_info::export_kind(*kind), *index);
        if *kind != ExternalKind::Func || !matches!(crate::abi::parse(name), Some(Ok(_))) {
            continue;
        }
        if let Some(counter) = counters::counter(&info, *index) {
            let key = (counter.place, counter.wide);
            let n = match adders.iter().position(|a| *a == key) {
                Some(n) => n,
                None => {
                    let (params, body) = counters::adder(&counter);
                    let n = adders.len();
                    types.ty().function(params, []);
                    functions.function(info.num_types + n as u32);
                    code.function(&body);
                    exports.export(
                        &adder_export(n),
                        ExportKind::Func,
                        info.funcs.total() + n as u32,
                    );
                    adders.push(key);
                    n
                }
            };
            let adder = adder_export(n);
            let per_site = matches!(
                counter.place,
                counters::Place::Memory { param: Some(_), .. }
            );
            counting.push(CountingProbe {
                export: name.to_string(),
                counter,
                adder,
                deferrable: built_by_wham && per_site,
            });
        }
    }
    let added = adders.len() as u32;
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
    let mut exports_placed = false;
    let mut seen_types = false;
    for payload in Parser::new(0).parse_all(monitor) {
        let payload = payload.map_err(bad)?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        let data = &monitor[range];
        // The export section comes after globals and before the start,
        // element, data count, code and data sections.
        if id == 7 || (matches!(id, 8..=12) && !exports_placed) {
            out.section(&exports);
            exports_placed = true;
            if id == 7 {
                continue;
            }
        }
        let appended = match id {
            1 => {
                seen_types = true;
                Some(append_entries(data, added, &entries(&types))?)
            }
            3 => Some(append_entries(data, added, &entries(&functions))?),
            10 => Some(append_entries(data, added, &entries(&code))?),
            _ => None,
        };
        match appended {
            Some(data) => out.section(&RawSection { id, data: &data }),
            None => out.section(&RawSection { id, data }),
        };
    }
    if !exports_placed {
        out.section(&exports);
    }
    // A monitor without functions has no counters to add.
    debug_assert!(added == 0 || seen_types);
    Ok(Prepared {
        bytes: out.finish(),
        pinned,
        counting,
        unfusable,
        removes_probes: info
            .func_imports()
            .any(|imp| imp.module == wham_rewrite::DYNINSTR_MODULE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adders_are_added_and_the_state_exported() {
        let monitor = wat::parse_str(
            r#"(module
              (global $n (mut i64) (i64.const 0))
              (memory 1)
              (func (export "wasm:opcode:nop") (global.set $n (i64.add (global.get $n) (i64.const 1))))
              (func (export "helper") (result i32) (i32.const 7)))"#,
        )
        .unwrap();
        let p = prepare(&monitor).unwrap();
        wasmparser::Validator::new().validate_all(&p.bytes).unwrap();
        assert_eq!(p.counting.len(), 1);
        let info = ModuleInfo::parse(&p.bytes).unwrap();
        for name in [
            "wasm:opcode:nop",
            "helper",
            "wham:add0",
            "wham:fuse:memory0",
            "wham:fuse:global0",
        ] {
            assert!(info.exports.iter().any(|e| e.0 == name), "{name}");
        }
        // The adder adds its argument: run it.
        assert_eq!(info.funcs.defined, 3);
    }
}
