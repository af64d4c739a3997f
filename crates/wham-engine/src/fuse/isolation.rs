//! The fused tier's sandbox, proved on every fused module before it is
//! compiled: monitor code (the monitor's functions and the bodies inlined
//! into the app) names only monitor functions, memories, globals, tables
//! and segments; the app's code names only the app's, except that it may
//! call the monitor's probe functions (what the weave tier's imports
//! allowed); nothing of the monitor is exported, placed in the app's
//! tables or started.
//!
//! The check walks every index of every instruction through a reencoder
//! (`wasm-encoder` visits each index an instruction has, so no operator
//! is missed) whose index hooks compare the item's origin with the code's.

use super::merge::Fused;
use super::remap::Origin;
use std::collections::BTreeSet;
use wasm_encoder::reencode::{Error, Reencode};
use wasmparser::{ExternalKind, Operator, Parser, Payload};

/// Compares every index it is shown with the origin of the code.
struct Checker<'f> {
    fused: &'f Fused,
    /// Whose code is being read.
    code: Origin,
}

impl Checker<'_> {
    fn check(&self, origins: &[Origin], i: u32, what: &str) -> Result<u32, Error<String>> {
        match origins.get(i as usize) {
            Some(o) if *o == self.code => Ok(i),
            Some(_) => Err(Error::UserError(format!(
                "{} names the {} {what} {i}",
                owner(self.code),
                belongs(self.code)
            ))),
            None => Err(Error::UserError(format!("{what} {i} does not exist"))),
        }
    }
}

fn owner(o: Origin) -> &'static str {
    match o {
        Origin::App => "the program's code",
        Origin::Monitor => "monitor code",
    }
}

/// Whose item code of origin `o` must not name.
fn belongs(o: Origin) -> &'static str {
    match o {
        Origin::App => "monitor's",
        Origin::Monitor => "program's",
    }
}

impl Reencode for Checker<'_> {
    type Error = String;

    fn function_index(&mut self, f: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.func_origin, f, "function")
    }
    fn memory_index(&mut self, m: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.memory_origin, m, "memory")
    }
    fn global_index(&mut self, g: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.global_origin, g, "global")
    }
    fn table_index(&mut self, t: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.table_origin, t, "table")
    }
    fn data_index(&mut self, d: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.data_origin, d, "data segment")
    }
    fn element_index(&mut self, e: u32) -> Result<u32, Error<String>> {
        self.check(&self.fused.map.elem_origin, e, "element segment")
    }
    fn tag_index(&mut self, t: u32) -> Result<u32, Error<String>> {
        // Only the program has tags (a monitor with tags is not fused).
        match self.code {
            Origin::App => Ok(t),
            Origin::Monitor => Err(Error::UserError(format!(
                "monitor code names the program's tag {t}"
            ))),
        }
    }
}

fn text(e: Error<String>) -> String {
    match e {
        Error::UserError(s) => s,
        other => other.to_string(),
    }
}

/// Check `fused`; the error names the function and instruction (byte
/// offset in the fused module) or the section entry that breaks the
/// sandbox.
pub fn check(fused: &Fused) -> Result<(), String> {
    let map = &fused.map;
    let entry_points: BTreeSet<u32> = map
        .monitor_import
        .iter()
        .flatten()
        .map(|&f| map.monitor.funcs[f as usize])
        .collect();
    let mut checker = Checker {
        fused,
        code: Origin::App,
    };
    let mut defined = map.kept_app_imports.len() as u32 + map.monitor_func_imports.len() as u32;
    let mut elem = 0u32;
    let mut data = 0u32;
    for payload in Parser::new(0).parse_all(&fused.bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(r) => {
                // Imports of the monitor's instance are the monitor's items,
                // and only those.
                let mut seen = [0u32; 4];
                for imp in r.into_imports() {
                    let imp = imp.map_err(|e| e.to_string())?;
                    let (space, origins) = match imp.ty {
                        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) => {
                            (0, &map.func_origin)
                        }
                        wasmparser::TypeRef::Memory(_) => (1, &map.memory_origin),
                        wasmparser::TypeRef::Global(_) => (2, &map.global_origin),
                        wasmparser::TypeRef::Table(_) => (3, &map.table_origin),
                        wasmparser::TypeRef::Tag(_) => continue,
                    };
                    let origin = origins.get(seen[space] as usize).copied();
                    seen[space] += 1;
                    let monitors = imp.module == crate::MONITOR;
                    if monitors != (origin == Some(Origin::Monitor)) {
                        return Err(format!(
                            "the import `{}`.`{}` crosses the sandbox",
                            imp.module, imp.name
                        ));
                    }
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    let origins = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => &map.func_origin,
                        ExternalKind::Memory => &map.memory_origin,
                        ExternalKind::Global => &map.global_origin,
                        ExternalKind::Table => &map.table_origin,
                        ExternalKind::Tag => continue,
                    };
                    if origins.get(e.index as usize) != Some(&Origin::App) {
                        return Err(format!("the export `{}` is the monitor's", e.name));
                    }
                }
            }
            Payload::StartSection { func, .. }
                if map.func_origin.get(func as usize) != Some(&Origin::App) =>
            {
                return Err("the start function is the monitor's".into());
            }
            Payload::GlobalSection(r) => {
                checker.code = Origin::App;
                for g in r {
                    let g = g.map_err(|e| e.to_string())?;
                    checker
                        .const_expr(g.init_expr)
                        .map_err(|e| format!("a global's initialiser: {}", text(e)))?;
                }
            }
            Payload::TableSection(r) => {
                checker.code = Origin::App;
                for t in r {
                    let t = t.map_err(|e| e.to_string())?;
                    if let wasmparser::TableInit::Expr(e) = t.init {
                        checker
                            .const_expr(e)
                            .map_err(|e| format!("a table's initialiser: {}", text(e)))?;
                    }
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    checker.code = map.elem_origin[elem as usize];
                    let mut scratch = wasm_encoder::ElementSection::new();
                    checker
                        .parse_element(&mut scratch, e)
                        .map_err(|e| format!("element segment {elem}: {}", text(e)))?;
                    elem += 1;
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(|e| e.to_string())?;
                    checker.code = map.data_origin[data as usize];
                    if let wasmparser::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } = d.kind
                    {
                        checker
                            .memory_index(memory_index)
                            .and_then(|_| checker.const_expr(offset_expr).map(|_| 0))
                            .map_err(|e| format!("data segment {data}: {}", text(e)))?;
                    }
                    data += 1;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let f = defined;
                defined += 1;
                let origin = map.func_origin[f as usize];
                let app_k = f.checked_sub(map.app_defined(0));
                let regions = match (origin, app_k) {
                    (Origin::App, Some(k)) => fused.inlined.get(k as usize),
                    _ => None,
                };
                let start = body.range().start;
                let ops = body.get_operators_reader().map_err(|e| e.to_string())?;
                for item in ops.into_iter_with_offsets() {
                    let (op, off) = item.map_err(|e| e.to_string())?;
                    let pc = (off - start) as u32;
                    let inlined = regions.is_some_and(|rs| rs.iter().any(|r| r.contains(&pc)));
                    checker.code = if inlined { Origin::Monitor } else { origin };
                    // The program's code may call the monitor's probes.
                    if let Operator::Call { function_index } = op
                        && checker.code == Origin::App
                        && entry_points.contains(&function_index)
                    {
                        continue;
                    }
                    checker.instruction(op).map_err(|e| {
                        format!("function {f}, instruction at byte {off}: {}", text(e))
                    })?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuse::merge::fuse;

    /// A monitor with state and a probe small enough to be inlined, and
    /// an app woven with a call to it.
    fn fused() -> Fused {
        let monitor = wat::parse_str(
            r#"(module
                (memory 1)
                (global $n (mut i32) (i32.const 0))
                (func (export "probe")
                    (global.set $n (i32.add (global.get $n) (i32.const 1)))
                    (i32.store (i32.const 0) (global.get $n))))"#,
        )
        .unwrap();
        let woven = wat::parse_str(
            r#"(module
                (import "wham:monitor" "probe" (func $probe))
                (memory (export "memory") 1)
                (global $g (mut i32) (i32.const 7))
                (func (export "_start")
                    (call $probe)
                    (global.set $g (i32.const 8))
                    (i32.store (i32.const 0) (global.get $g))))"#,
        )
        .unwrap();
        let prepared = crate::prepare::prepare(&monitor).unwrap();
        fuse(&woven, &prepared).unwrap()
    }

    #[test]
    fn a_faithful_fusion_passes() {
        let f = fused();
        assert!(f.inlined.iter().any(|r| !r.is_empty()), "probe inlined");
        assert_eq!(check(&f), Ok(()));
    }

    #[test]
    fn inlined_monitor_code_naming_a_program_global_is_refused() {
        // Point the inlined probe's `global.get` at the program's global
        // (fused 1; the monitor's is 0, imported first).
        let mut f = fused();
        let body = Parser::new(0)
            .parse_all(&f.bytes)
            .find_map(|p| match p.unwrap() {
                Payload::CodeSectionEntry(b) => Some(b.range().start),
                _ => None,
            })
            .unwrap();
        let region = f.inlined[0][0].clone();
        let at = (body + region.start as usize..body + region.end as usize)
            .find(|&i| f.bytes[i..i + 2] == [0x23, 0x00])
            .unwrap();
        f.bytes[at + 1] = 0x01;
        let err = check(&f).unwrap_err();
        assert!(
            err.contains("monitor code names the program's global 1"),
            "{err}"
        );
    }

    #[test]
    fn a_map_claiming_monitor_state_for_the_program_is_refused() {
        let mut f = fused();
        f.map.global_origin[0] = Origin::App;
        let err = check(&f).unwrap_err();
        assert!(
            err.contains("`wham:fuse:global0` crosses the sandbox"),
            "{err}"
        );
    }

    #[test]
    fn program_code_naming_monitor_memory_is_refused() {
        let mut f = fused();
        let app_memory = f.map.memory_origin.len() - 1;
        f.map.memory_origin[app_memory] = Origin::Monitor;
        let err = check(&f).unwrap_err();
        assert!(
            err.contains("the program's code names the monitor's memory")
                || err.contains("the export `memory` is the monitor's"),
            "{err}"
        );
    }

    #[test]
    fn inlined_code_outside_its_recorded_region_counts_as_the_programs() {
        // Forget where the probe was inlined: its body now reads as the
        // program's code naming monitor state.
        let mut f = fused();
        f.inlined.iter_mut().for_each(Vec::clear);
        let err = check(&f).unwrap_err();
        assert!(
            err.contains("the program's code names the monitor's"),
            "{err}"
        );
    }
}
