//! Writing the instrumented module: sections in their canonical order,
//! untouched ones copied as bytes, changed ones re-encoded with
//! `wasm-encoder`'s reencoder (renumbering functions when an import was
//! added), additions appended so the app's own indices stay put.

use crate::Error;
use crate::app::App;
use crate::plan::Plan;
use crate::weave::Parts;
use std::convert::Infallible;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder, utils};
use wasm_encoder::{
    CodeSection, ConstExpr, DataCountSection, DataSection, ElementSection, EntityType, ExportKind,
    ExportSection, FunctionSection, GlobalSection, GlobalType, ImportSection, MemorySection,
    MemoryType, Module, NameMap, NameSection, RawSection, StartSection, TableSection, TypeSection,
};
use wasmparser::{BinaryReader, KnownCustom};

/// Renumbers functions after added function imports and memories after
/// added memory imports (`memories.rs`).
pub struct Shift {
    first_defined: u32,
    by: u32,
    first_defined_memory: u32,
    memories_by: u32,
}

impl Shift {
    pub fn new(app: &App<'_>, plan: &Plan) -> Shift {
        Shift {
            first_defined: app.num_func_imports(),
            by: plan.imports.len() as u32,
            first_defined_memory: app.num_imported_memories,
            memories_by: app.lib_memories.len() as u32,
        }
    }
}

impl Reencode for Shift {
    type Error = Infallible;
    fn function_index(&mut self, f: u32) -> Result<u32, wasm_encoder::reencode::Error<Infallible>> {
        Ok(if f >= self.first_defined {
            f + self.by
        } else {
            f
        })
    }
    fn memory_index(&mut self, m: u32) -> Result<u32, wasm_encoder::reencode::Error<Infallible>> {
        Ok(if m >= self.first_defined_memory {
            m + self.memories_by
        } else {
            m
        })
    }
}

fn rank(id: u8) -> u8 {
    match id {
        1..=5 => id,
        13 => 6,
        6 => 7,
        7 => 8,
        8 => 9,
        9 => 10,
        12 => 11,
        10 => 12,
        11 => 13,
        _ => 0,
    }
}

/// The exports a host starts a program by (`Plan::entry`).
const ENTRY_EXPORTS: &[&str] = &["_start", "main"];

fn internal<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("re-encoding the app failed: {e:?}"))
}

pub fn assemble(
    app: &App<'_>,
    plan: &Plan,
    parts: Parts,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>, Error> {
    let Parts {
        add,
        bodies,
        start,
        export_memory,
        memory_aliases,
        entry_wrapper,
        ..
    } = parts;
    let mut shift = Shift::new(app, plan);
    let code_changed = bodies.iter().any(Option::is_some);
    let segments = add.data_segments();
    let mut module = Module::new();
    let section_of = |id: u8| app.sections.iter().find(|s| s.id == id);
    let contents = |s: &crate::app::Section| &app.bytes[s.range.clone()];
    let reader = |s: &crate::app::Section| BinaryReader::new(contents(s), s.range.start);

    // Custom sections stay after the known section they followed.
    let mut customs: Vec<(u8, &crate::app::Section)> = Vec::new();
    let mut last_rank = 0;
    for s in &app.sections {
        if s.id == 0 {
            customs.push((last_rank, s));
        } else {
            last_rank = rank(s.id);
        }
    }

    for r in 0..=13u8 {
        let id = match r {
            0 => 0,
            1..=5 => r,
            6 => 13,
            7 => 6,
            8 => 7,
            9 => 8,
            10 => 9,
            11 => 12,
            12 => 10,
            _ => 11,
        };
        let orig = if r == 0 { None } else { section_of(id) };
        match id {
            0 => {}
            1 => {
                if add.types.is_empty() {
                    if let Some(s) = orig {
                        module.section(&RawSection {
                            id,
                            data: contents(s),
                        });
                    }
                } else {
                    let mut types = TypeSection::new();
                    if let Some(s) = orig {
                        let rd = wasmparser::TypeSectionReader::new(reader(s)).map_err(internal)?;
                        utils::parse_type_section(&mut RoundtripReencoder, &mut types, rd)
                            .map_err(internal)?;
                    }
                    for sig in &add.types {
                        types.ty().function(sig.params.clone(), sig.results.clone());
                    }
                    module.section(&types);
                }
            }
            2 => {
                if plan.shifts() || !app.lib_memories.is_empty() {
                    let mut imports = ImportSection::new();
                    if let Some(s) = orig {
                        let rd =
                            wasmparser::ImportSectionReader::new(reader(s)).map_err(internal)?;
                        utils::parse_import_section(&mut RoundtripReencoder, &mut imports, rd)
                            .map_err(internal)?;
                    }
                    for (k, imp) in plan.imports.iter().enumerate() {
                        // Their types were the first ones added (Weaver::new).
                        let ty = add.import_types[k];
                        imports.import(&imp.module, &imp.name, EntityType::Function(ty));
                    }
                    for m in &app.lib_memories {
                        imports.import(&m.module, "memory", EntityType::Memory(m.ty));
                    }
                    module.section(&imports);
                } else if let Some(s) = orig {
                    module.section(&RawSection {
                        id,
                        data: contents(s),
                    });
                }
            }
            3 => {
                let mut funcs = FunctionSection::new();
                if let Some(s) = orig {
                    let rd = wasmparser::FunctionSectionReader::new(reader(s)).map_err(internal)?;
                    utils::parse_function_section(&mut RoundtripReencoder, &mut funcs, rd)
                        .map_err(internal)?;
                }
                for f in &add.funcs {
                    funcs.function(f.type_index);
                }
                if !funcs.is_empty() {
                    module.section(&funcs);
                }
            }
            5 => {
                let mut mems = MemorySection::new();
                if let Some(s) = orig {
                    let rd = wasmparser::MemorySectionReader::new(reader(s)).map_err(internal)?;
                    utils::parse_memory_section(&mut RoundtripReencoder, &mut mems, rd)
                        .map_err(internal)?;
                }
                mems.memory(MemoryType {
                    minimum: add.pages(),
                    maximum: None,
                    memory64: false,
                    shared: false,
                    page_size_log2: None,
                });
                module.section(&mems);
            }
            6 => {
                let mut globals = GlobalSection::new();
                if let Some(s) = orig {
                    let rd = wasmparser::GlobalSectionReader::new(reader(s)).map_err(internal)?;
                    utils::parse_global_section(&mut shift, &mut globals, rd).map_err(internal)?;
                }
                for g in &add.globals {
                    globals.global(
                        GlobalType {
                            val_type: g.ty,
                            mutable: g.mutable,
                            shared: false,
                        },
                        &g.init,
                    );
                }
                if !globals.is_empty() {
                    module.section(&globals);
                }
            }
            7 => {
                let mut exports = ExportSection::new();
                if let Some(s) = orig {
                    let rd = wasmparser::ExportSectionReader::new(reader(s)).map_err(internal)?;
                    for e in rd {
                        let e = e.map_err(internal)?;
                        let mut index = shift.external_index(e.kind, e.index).map_err(internal)?;
                        // The host starts the program through our wrapper.
                        if let Some(w) = entry_wrapper
                            && index == w.entry
                            && matches!(e.kind, wasmparser::ExternalKind::Func)
                            && ENTRY_EXPORTS.contains(&e.name)
                        {
                            index = w.wrapper;
                        }
                        exports.export(e.name, shift.export_kind(e.kind).map_err(internal)?, index);
                    }
                }
                for (name, f) in &add.exports {
                    exports.export(name, ExportKind::Func, *f);
                }
                for (name, g) in &add.global_exports {
                    exports.export(name, ExportKind::Global, *g);
                }
                for (name, m) in &add.memory_exports {
                    exports.export(name, ExportKind::Memory, *m);
                }
                if export_memory {
                    exports.export("memory", ExportKind::Memory, add.instr_mem());
                }
                for alias in &memory_aliases {
                    exports.export(alias, ExportKind::Memory, add.instr_mem());
                }
                if !exports.is_empty() {
                    module.section(&exports);
                }
            }
            8 => {
                let function_index = match (start, app.start) {
                    (Some(s), _) => Some(s),
                    (None, Some(s)) => Some(plan.func(app, s)),
                    _ => None,
                };
                if let Some(function_index) = function_index {
                    module.section(&StartSection { function_index });
                }
            }
            9 => {
                if let Some(s) = orig {
                    if plan.shifts() {
                        let mut elems = ElementSection::new();
                        let rd =
                            wasmparser::ElementSectionReader::new(reader(s)).map_err(internal)?;
                        utils::parse_element_section(&mut shift, &mut elems, rd)
                            .map_err(internal)?;
                        module.section(&elems);
                    } else {
                        module.section(&RawSection {
                            id,
                            data: contents(s),
                        });
                    }
                }
            }
            12 => {
                if orig.is_some() {
                    module.section(&DataCountSection {
                        count: app.num_data + segments.len() as u32,
                    });
                }
            }
            10 => {
                let mut code = CodeSection::new();
                for (body, new) in app.bodies.iter().zip(&bodies) {
                    match new {
                        Some(f) => {
                            code.function(f);
                        }
                        None => {
                            code.raw(&app.bytes[body.range()]);
                        }
                    }
                }
                for f in &add.funcs {
                    match &f.body {
                        Some(b) => {
                            code.function(b);
                        }
                        None => {
                            return Err(Error::Internal(format!(
                                "function `{}` was never generated",
                                f.name
                            )));
                        }
                    }
                }
                if !code.is_empty() {
                    module.section(&code);
                }
            }
            11 => {
                let mut data = DataSection::new();
                if let Some(s) = orig {
                    let rd = wasmparser::DataSectionReader::new(reader(s)).map_err(internal)?;
                    utils::parse_data_section(&mut shift, &mut data, rd).map_err(internal)?;
                }
                for (addr, bytes) in &segments {
                    data.active(
                        add.instr_mem(),
                        &ConstExpr::i32_const(*addr as i32),
                        bytes.iter().copied(),
                    );
                }
                if !data.is_empty() {
                    module.section(&data);
                }
            }
            // Table initialisers may name functions (`ref.func`).
            4 if plan.shifts() && orig.is_some() => {
                let s = orig.expect("checked");
                let mut tables = TableSection::new();
                let rd = wasmparser::TableSectionReader::new(reader(s)).map_err(internal)?;
                utils::parse_table_section(&mut shift, &mut tables, rd).map_err(internal)?;
                module.section(&tables);
            }
            _ => {
                if let Some(s) = orig {
                    module.section(&RawSection {
                        id,
                        data: contents(s),
                    });
                }
            }
        }
        for (_, s) in customs.iter().filter(|(after, _)| *after == r) {
            let name = s.custom_name.as_deref().unwrap_or("");
            if name == "name" {
                module.section(&names(app, &add, &mut shift, s)?);
            } else if name.starts_with(".debug_") && code_changed {
                // Code offsets moved; stale DWARF would point at the wrong
                // places.
                let w = "the app's DWARF debug sections were dropped: instrumentation moves code, so their offsets would be wrong".to_string();
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            } else {
                module.section(&RawSection {
                    id: 0,
                    data: contents(s),
                });
            }
        }
    }
    if !app
        .sections
        .iter()
        .any(|s| s.custom_name.as_deref() == Some("name"))
    {
        module.section(&own_names(&add));
    }
    Ok(module.finish())
}

/// The app's name section, renumbered, with names for what we added.
fn names(
    app: &App<'_>,
    add: &wham_codegen::Additions,
    shift: &mut Shift,
    s: &crate::app::Section,
) -> Result<NameSection, Error> {
    let mut out = NameSection::new();
    let data = &app.bytes[s.range.clone()];
    let reader = wasmparser::CustomSectionReader::new(BinaryReader::new(data, s.range.start))
        .map_err(internal)?;
    let KnownCustom::Name(names) = reader.as_known() else {
        return Ok(own_names(add));
    };
    for sub in names {
        let sub = sub.map_err(internal)?;
        match sub {
            wasmparser::Name::Function(map) => {
                let mut nm = NameMap::new();
                for n in map {
                    let n = n.map_err(internal)?;
                    nm.append(shift.function_index(n.index).map_err(internal)?, n.name);
                }
                for (k, f) in add.funcs.iter().enumerate() {
                    nm.append(add.bases.funcs + k as u32, &f.name);
                }
                out.functions(&nm);
            }
            other => {
                utils::parse_custom_name_subsection(shift, &mut out, other).map_err(internal)?;
            }
        }
    }
    Ok(out)
}

fn own_names(add: &wham_codegen::Additions) -> NameSection {
    let mut out = NameSection::new();
    let mut nm = NameMap::new();
    for (k, f) in add.funcs.iter().enumerate() {
        nm.append(add.bases.funcs + k as u32, &f.name);
    }
    out.functions(&nm);
    out
}
