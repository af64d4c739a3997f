//! One module from the woven app and the monitor: the app's code and
//! state where they were, the monitor's code appended, its state imported
//! from the live monitor instance, and calls from the app to small probe
//! functions replaced by their bodies (`inline.rs`).

use super::inline::{self, Inlinable, LocalPool};
use super::remap::{IndexMap, Side, is_monitor_func};
use crate::MONITOR;
use crate::module_info::ModuleInfo;
use crate::prepare::{self as expose, Prepared as Exposed};
use std::ops::Range;
use wasm_encoder::reencode::Reencode;
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, Elements, Encode, EntityType,
    ExportSection, Function, FunctionSection, GlobalSection, ImportSection, MemorySection, Module,
    NameMap, NameSection, StartSection, TableSection, TagSection, TypeSection,
};
use wasmparser::{ElementItems, ElementKind, Name, Operator, Parser, Payload};

/// The fused module and how to read places in it.
pub struct Fused {
    pub bytes: Vec<u8>,
    pub map: IndexMap,
    /// Per defined function of the app, in order: the byte ranges of
    /// inlined monitor code in its fused body (from the body's start).
    pub inlined: Vec<Vec<Range<u32>>>,
    /// Per defined function of the app: (fused pc, woven pc) of each of
    /// its instructions, in order.
    pub pcs: Vec<Vec<(u32, u32)>>,
}

impl Fused {
    /// The woven app's (function, pc) for a place in the fused module;
    /// `None` in monitor code.
    pub fn woven_place(&self, func: u32, pc: u32) -> Option<(u32, u32)> {
        let k = func.checked_sub(self.map.app_defined(0))?;
        let pairs = self.pcs.get(k as usize)?;
        let woven_func = self.map.monitor_import.len() as u32 + k;
        let pc = match pairs.partition_point(|(fused, _)| *fused <= pc) {
            0 => 0,
            n => pairs[n - 1].1,
        };
        Some((woven_func, pc))
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Fuse `woven` (an app woven with calls to the monitor) and the exposed
/// monitor into one module.
pub fn fuse(woven: &[u8], exposed: &Exposed) -> Result<Fused, String> {
    let w = ModuleInfo::parse(woven).map_err(err)?;
    let m = ModuleInfo::parse(&exposed.bytes).map_err(err)?;
    let map = IndexMap::new(&w, &m, &exposed.pinned)?;
    let mut app = Side(&map.app);
    let mut mon = Side(&map.monitor);

    // Which monitor functions are inlined where the app calls them.
    let mut inlinable: Vec<Option<Inlinable<'_>>> = Vec::new();
    for f in 0..m.funcs.total() {
        let candidate = f >= m.funcs.imported && !exposed.pinned.contains(&f);
        let one = candidate
            .then(|| {
                let body = &m.bodies[(f - m.funcs.imported) as usize];
                let (p, r) = m.func_sig(f)?;
                inline::inlinable(body, p, r, &mut mon)
            })
            .flatten();
        inlinable.push(one);
    }

    let mut out = Module::new();
    let mut types = TypeSection::new();
    let mut imports = ImportSection::new();
    let mut functions = FunctionSection::new();
    let mut tables = TableSection::new();
    let mut memories = MemorySection::new();
    let mut tags = TagSection::new();
    let mut globals = GlobalSection::new();
    let mut exports = ExportSection::new();
    let mut elements = ElementSection::new();
    let mut code = CodeSection::new();
    let mut data = DataSection::new();
    // Function names by fused index (a name map must be sorted).
    let mut names: std::collections::BTreeMap<u32, String> = Default::default();
    let mut customs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut start = None;
    let mut inlined = Vec::new();
    let mut pcs = Vec::new();

    // The app's side, in its own order.
    let mut func_k = 0u32;
    for payload in Parser::new(0).parse_all(woven) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for group in r {
                    app.parse_recursive_type_group(types.ty(), group.map_err(err)?)
                        .map_err(err)?;
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(err)?;
                    if !is_monitor_func(imp.module, &imp.ty) {
                        let ty = app.entity_type(imp.ty).map_err(err)?;
                        imports.import(imp.module, imp.name, ty);
                    }
                }
                // Then the monitor's functions that stay in its instance
                // and its whole state.
                for &f in &map.monitor_func_imports {
                    let ty = m.func_types[f as usize] + map.monitor.type_base;
                    imports.import(MONITOR, &expose::func_export(f), EntityType::Function(ty));
                }
                monitor_state_imports(&m, &mut mon, &mut imports)?;
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    functions.function(t.map_err(err)?);
                }
            }
            Payload::TableSection(r) => app.parse_table_section(&mut tables, r).map_err(err)?,
            Payload::MemorySection(r) => app.parse_memory_section(&mut memories, r).map_err(err)?,
            Payload::GlobalSection(r) => app.parse_global_section(&mut globals, r).map_err(err)?,
            // The monitor has no tags (one with tags is not fused), so the
            // app's keep their indices.
            Payload::TagSection(r) => app.parse_tag_section(&mut tags, r).map_err(err)?,
            Payload::ExportSection(r) => app.parse_export_section(&mut exports, r).map_err(err)?,
            Payload::StartSection { func, .. } => {
                start = Some(app.start_section(func).map_err(err)?)
            }
            Payload::ElementSection(r) => {
                app.parse_element_section(&mut elements, r).map_err(err)?
            }
            Payload::CodeSectionEntry(body) => {
                let (f, regions, pairs) =
                    app_body(&body, &w, func_k, &map, &inlinable, &mut app, &mut mon)?;
                code.function(&f);
                inlined.push(regions);
                pcs.push(pairs);
                func_k += 1;
            }
            Payload::DataSection(r) => app.parse_data_section(&mut data, r).map_err(err)?,
            Payload::CustomSection(c) => match c.as_known() {
                wasmparser::KnownCustom::Name(r) => {
                    for n in r {
                        if let Ok(Name::Function(fs)) = n {
                            for naming in fs.into_iter().flatten() {
                                if let Some(&f) = map.app.funcs.get(naming.index as usize) {
                                    names.insert(f, naming.name.to_string());
                                }
                            }
                        }
                    }
                }
                _ => customs.push((c.name().to_string(), c.data().to_vec())),
            },
            _ => {}
        }
    }
    // If the app has no import section, the monitor's imports still go in.
    if w.imports.is_empty() {
        for &f in &map.monitor_func_imports {
            let ty = m.func_types[f as usize] + map.monitor.type_base;
            imports.import(MONITOR, &expose::func_export(f), EntityType::Function(ty));
        }
        monitor_state_imports(&m, &mut mon, &mut imports)?;
    }

    // The monitor's side: types, code, segments. Its state is imported,
    // its start function already ran in the live instance.
    for payload in Parser::new(0).parse_all(&exposed.bytes) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for group in r {
                    mon.parse_recursive_type_group(types.ty(), group.map_err(err)?)
                        .map_err(err)?;
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    monitor_element(e.map_err(err)?, &mut mon, &mut elements)?;
                }
            }
            // Active segments were applied when the monitor started and
            // dropped then, which an empty passive segment mimics.
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(err)?;
                    match d.kind {
                        wasmparser::DataKind::Passive => data.passive(d.data.iter().copied()),
                        wasmparser::DataKind::Active { .. } => data.passive(std::iter::empty()),
                    };
                }
            }
            Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(r) = c.as_known() {
                    for n in r {
                        if let Ok(Name::Function(fs)) = n {
                            for naming in fs.into_iter().flatten() {
                                if let Some(&f) = map.monitor.funcs.get(naming.index as usize) {
                                    names.insert(f, format!("wham:monitor:{}", naming.name));
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for &f in &map.monitor_defined {
        functions.function(m.func_types[f as usize] + map.monitor.type_base);
        let body = &m.bodies[(f - m.funcs.imported) as usize];
        mon.parse_function_body(&mut code, body.clone())
            .map_err(err)?;
    }
    out.section(&types);
    out.section(&imports);
    out.section(&functions);
    out.section(&tables);
    out.section(&memories);
    if !tags.is_empty() {
        out.section(&tags);
    }
    out.section(&globals);
    out.section(&exports);
    if let Some(s) = start {
        out.section(&StartSection { function_index: s });
    }
    out.section(&elements);
    if w.has_data_count || m.has_data_count {
        out.section(&DataCountSection {
            count: w.data_segments + m.data_segments,
        });
    }
    out.section(&code);
    out.section(&data);
    let mut name_map = NameMap::new();
    for (f, n) in &names {
        name_map.append(*f, n);
    }
    let mut name_section = NameSection::new();
    name_section.functions(&name_map);
    out.section(&name_section);
    for (name, bytes) in &customs {
        out.section(&wasm_encoder::CustomSection {
            name: name.into(),
            data: bytes.into(),
        });
    }
    Ok(Fused {
        bytes: out.finish(),
        map,
        inlined,
        pcs,
    })
}

/// Imports of every monitor memory, global and table from the live
/// monitor instance.
fn monitor_state_imports(
    m: &ModuleInfo<'_>,
    mon: &mut Side<'_>,
    imports: &mut ImportSection,
) -> Result<(), String> {
    for (i, t) in m.memory_types.iter().enumerate() {
        let ty = mon.memory_type(*t).map_err(err)?;
        imports.import(MONITOR, &expose::memory_export(i as u32), ty);
    }
    for (i, t) in m.global_types.iter().enumerate() {
        let ty = mon.global_type(*t).map_err(err)?;
        imports.import(MONITOR, &expose::global_export(i as u32), ty);
    }
    for (i, t) in m.table_types.iter().enumerate() {
        let ty = mon.table_type(*t).map_err(err)?;
        imports.import(MONITOR, &expose::table_export(i as u32), ty);
    }
    Ok(())
}

/// A monitor element segment in the fused module: active ones were
/// applied to the live tables when the monitor started, so they become
/// empty passive segments (as dropped segments behave).
fn monitor_element(
    e: wasmparser::Element<'_>,
    mon: &mut Side<'_>,
    elements: &mut ElementSection,
) -> Result<(), String> {
    match e.kind {
        ElementKind::Active { .. } => {
            let empty = match e.items {
                ElementItems::Functions(_) => Elements::Functions(Vec::new().into()),
                ElementItems::Expressions(ty, _) => {
                    Elements::Expressions(mon.ref_type(ty).map_err(err)?, Vec::new().into())
                }
            };
            elements.passive(empty);
        }
        _ => mon.parse_element(elements, e).map_err(err)?,
    }
    Ok(())
}

/// One function of the app, moved to its fused indices, with calls to
/// small monitor functions inlined: the body, the inlined byte ranges and
/// the (fused pc, woven pc) pairs of its instructions.
#[allow(clippy::type_complexity)]
fn app_body(
    body: &wasmparser::FunctionBody<'_>,
    w: &ModuleInfo<'_>,
    k: u32,
    map: &IndexMap,
    inlinable: &[Option<Inlinable<'_>>],
    app: &mut Side<'_>,
    mon: &mut Side<'_>,
) -> Result<(Function, Vec<Range<u32>>, Vec<(u32, u32)>), String> {
    let params = w
        .func_sig(w.funcs.imported + k)
        .map_or(0, |(p, _)| p.len() as u32);
    let mut locals = Vec::new();
    let mut count = params;
    for pair in body.get_locals_reader().map_err(err)? {
        let (n, t) = pair.map_err(err)?;
        locals.push((n, app.val_type(t).map_err(err)?));
        count += n;
    }
    let mut pool = LocalPool::new(count);
    let mut bytes = Vec::new();
    let mut regions = Vec::new();
    let mut pairs = Vec::new();
    let start = body.range().start;
    for item in body
        .get_operators_reader()
        .map_err(err)?
        .into_iter_with_offsets()
    {
        let (op, off) = item.map_err(err)?;
        pairs.push((bytes.len() as u32, (off - start) as u32));
        if let Operator::Call { function_index } = op
            && let Some(Some(target)) = map.monitor_import.get(function_index as usize)
            && let Some(f) = &inlinable[*target as usize]
        {
            let at = bytes.len() as u32;
            inline::emit(f, &mut bytes, &mut pool, mon);
            regions.push(at..bytes.len() as u32);
            continue;
        }
        app.instruction(op).map_err(err)?.encode(&mut bytes);
    }
    locals.extend(pool.added.iter().map(|t| (1, *t)));
    let mut f = Function::new(locals);
    let header = f.byte_len() as u32;
    f.raw(bytes);
    for r in &mut regions {
        *r = r.start + header..r.end + header;
    }
    for p in &mut pairs {
        p.0 += header;
    }
    Ok((f, regions, pairs))
}
