//! Where every item of the woven app and of the monitor goes in the fused
//! module, and the two reencoders that move code there.
//!
//! The fused module's index spaces, imported items first as Wasm requires:
//!
//! ```text
//! functions  app imports | monitor imports, pinned monitor functions | app functions | monitor functions
//! memories   app imports | every monitor memory (imported)           | app memories
//! globals    app imports | every monitor global (imported)           | app globals
//! tables     app imports | every monitor table (imported)            | app tables
//! types      app types   | monitor types
//! data, elem app segments | monitor segments
//! ```
//!
//! The monitor's state is imported from the live monitor instance (which
//! exports it, `expose.rs`), so the fused code and the bind-time calls
//! share it.

use crate::MONITOR;
use crate::module_info::ModuleInfo;
use std::collections::BTreeSet;
use std::convert::Infallible;
use wasm_encoder::reencode::{Error, Reencode};
use wasmparser::TypeRef;

/// Where an item comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    App,
    Monitor,
}

/// Old index -> fused index, per space, for one side.
#[derive(Default)]
pub struct SideMap {
    pub funcs: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    pub tables: Vec<u32>,
    pub tags: Vec<u32>,
    pub type_base: u32,
    pub data_base: u32,
    pub elem_base: u32,
}

/// The fused module's layout.
pub struct IndexMap {
    pub app: SideMap,
    pub monitor: SideMap,
    /// Per woven function import: the monitor function it stands for
    /// (imports from the monitor), or `None` (the app's own imports).
    pub monitor_import: Vec<Option<u32>>,
    /// Monitor functions that stay in the live instance (pinned ones and
    /// the monitor's own imports), imported in this order after the app's
    /// imports.
    pub monitor_func_imports: Vec<u32>,
    /// Monitor functions whose code is copied, in order.
    pub monitor_defined: Vec<u32>,
    /// Origin of every fused function, memory, global, table, data and
    /// element segment.
    pub func_origin: Vec<Origin>,
    pub memory_origin: Vec<Origin>,
    pub global_origin: Vec<Origin>,
    pub table_origin: Vec<Origin>,
    pub data_origin: Vec<Origin>,
    pub elem_origin: Vec<Origin>,
    /// App function imports that are kept, in order (woven indices).
    pub kept_app_imports: Vec<u32>,
}

impl IndexMap {
    pub fn new(
        woven: &ModuleInfo<'_>,
        monitor: &ModuleInfo<'_>,
        pinned: &BTreeSet<u32>,
    ) -> Result<IndexMap, String> {
        let mut monitor_import = Vec::new();
        let mut kept_app_imports = Vec::new();
        for (i, imp) in woven.func_imports().enumerate() {
            if imp.module == MONITOR {
                let f = monitor
                    .exported_func(imp.name)
                    .ok_or_else(|| format!("the monitor exports no function `{}`", imp.name))?;
                monitor_import.push(Some(f));
            } else {
                monitor_import.push(None);
                kept_app_imports.push(i as u32);
            }
        }
        let monitor_func_imports: Vec<u32> = (0..monitor.funcs.imported)
            .chain(pinned.iter().copied())
            .collect();
        let monitor_defined: Vec<u32> = (monitor.funcs.imported..monitor.funcs.total())
            .filter(|f| !pinned.contains(f))
            .collect();

        let app_imports = kept_app_imports.len() as u32;
        let mon_imports = monitor_func_imports.len() as u32;
        let app_defined_base = app_imports + mon_imports;
        let mon_defined_base = app_defined_base + woven.funcs.defined;

        let mut mon_funcs = vec![u32::MAX; monitor.funcs.total() as usize];
        for (k, &f) in monitor_func_imports.iter().enumerate() {
            mon_funcs[f as usize] = app_imports + k as u32;
        }
        for (k, &f) in monitor_defined.iter().enumerate() {
            mon_funcs[f as usize] = mon_defined_base + k as u32;
        }
        let mut app_funcs = Vec::with_capacity(woven.funcs.total() as usize);
        let mut next_kept = 0u32;
        for m in &monitor_import {
            match m {
                Some(f) => app_funcs.push(mon_funcs[*f as usize]),
                None => {
                    app_funcs.push(next_kept);
                    next_kept += 1;
                }
            }
        }
        app_funcs.extend((0..woven.funcs.defined).map(|k| app_defined_base + k));

        // Memories, globals, tables: the monitor's all come right after the
        // app's imported ones.
        let shifted = |app: crate::module_info::Space, mon: u32| -> (Vec<u32>, Vec<u32>) {
            let a = (0..app.total())
                .map(|i| if i < app.imported { i } else { i + mon })
                .collect();
            let m = (0..mon).map(|i| app.imported + i).collect();
            (a, m)
        };
        let (app_mems, mon_mems) = shifted(woven.memories, monitor.memories.total());
        let (app_globals, mon_globals) = shifted(woven.globals, monitor.globals.total());
        let (app_tables, mon_tables) = shifted(woven.tables, monitor.tables.total());
        let origins = |app: crate::module_info::Space, mon: u32| -> Vec<Origin> {
            let mut v = vec![Origin::App; app.imported as usize];
            v.extend(std::iter::repeat_n(Origin::Monitor, mon as usize));
            v.extend(std::iter::repeat_n(Origin::App, app.defined as usize));
            v
        };
        let mut func_origin = vec![Origin::App; app_imports as usize];
        func_origin.extend(std::iter::repeat_n(Origin::Monitor, mon_imports as usize));
        func_origin.extend(std::iter::repeat_n(
            Origin::App,
            woven.funcs.defined as usize,
        ));
        func_origin.extend(std::iter::repeat_n(Origin::Monitor, monitor_defined.len()));
        let mut data_origin = vec![Origin::App; woven.data_segments as usize];
        data_origin.extend(std::iter::repeat_n(
            Origin::Monitor,
            monitor.data_segments as usize,
        ));
        let mut elem_origin = vec![Origin::App; woven.elem_segments as usize];
        elem_origin.extend(std::iter::repeat_n(
            Origin::Monitor,
            monitor.elem_segments as usize,
        ));
        Ok(IndexMap {
            app: SideMap {
                funcs: app_funcs,
                memories: app_mems,
                globals: app_globals,
                tables: app_tables,
                tags: (0..woven.tags.total()).collect(),
                type_base: 0,
                data_base: 0,
                elem_base: 0,
            },
            monitor: SideMap {
                funcs: mon_funcs,
                memories: mon_mems,
                globals: mon_globals,
                tables: mon_tables,
                tags: Vec::new(),
                type_base: woven.num_types,
                data_base: woven.data_segments,
                elem_base: woven.elem_segments,
            },
            memory_origin: origins(woven.memories, monitor.memories.total()),
            global_origin: origins(woven.globals, monitor.globals.total()),
            table_origin: origins(woven.tables, monitor.tables.total()),
            func_origin,
            data_origin,
            elem_origin,
            monitor_import,
            monitor_func_imports,
            monitor_defined,
            kept_app_imports,
        })
    }

    /// The fused index of a defined function of the woven app.
    pub fn app_defined(&self, k: u32) -> u32 {
        self.kept_app_imports.len() as u32 + self.monitor_func_imports.len() as u32 + k
    }
}

/// Whether an import is one the fused module drops (a woven call target
/// in the monitor).
pub fn is_monitor_func(module: &str, ty: &TypeRef) -> bool {
    module == MONITOR && matches!(ty, TypeRef::Func(_) | TypeRef::FuncExact(_))
}

/// Moves one side's code to its fused indices.
pub struct Side<'m>(pub &'m SideMap);

fn at(v: &[u32], i: u32) -> u32 {
    // Inputs are validated; an index out of range makes an invalid output,
    // which the final validation reports.
    v.get(i as usize).copied().unwrap_or(u32::MAX)
}

impl Reencode for Side<'_> {
    type Error = Infallible;

    fn function_index(&mut self, f: u32) -> Result<u32, Error<Infallible>> {
        Ok(at(&self.0.funcs, f))
    }
    fn memory_index(&mut self, m: u32) -> Result<u32, Error<Infallible>> {
        Ok(at(&self.0.memories, m))
    }
    fn global_index(&mut self, g: u32) -> Result<u32, Error<Infallible>> {
        Ok(at(&self.0.globals, g))
    }
    fn table_index(&mut self, t: u32) -> Result<u32, Error<Infallible>> {
        Ok(at(&self.0.tables, t))
    }
    fn tag_index(&mut self, t: u32) -> Result<u32, Error<Infallible>> {
        Ok(at(&self.0.tags, t))
    }
    fn type_index(&mut self, t: u32) -> Result<u32, Error<Infallible>> {
        Ok(t + self.0.type_base)
    }
    fn data_index(&mut self, d: u32) -> Result<u32, Error<Infallible>> {
        Ok(d + self.0.data_base)
    }
    fn element_index(&mut self, e: u32) -> Result<u32, Error<Infallible>> {
        Ok(e + self.0.elem_base)
    }
}
