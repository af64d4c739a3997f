//! What the rewriter needs to know about the app module, read once.

use crate::Error;
use std::collections::HashMap;
use std::ops::Range;
use wasmparser::{
    ExternalKind, FunctionBody, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// One section of the app as it appeared, for copying or rebuilding.
#[derive(Clone, Debug)]
pub struct Section {
    pub id: u8,
    /// The section's contents (after its id and size).
    pub range: Range<usize>,
    /// For custom sections, the name.
    pub custom_name: Option<String>,
}

#[derive(Clone, Debug)]
pub struct FuncImport {
    pub module: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct MemoryInfo {
    pub memory64: bool,
    pub page_size_log2: Option<u32>,
    /// Size in pages when the program starts.
    pub initial: u64,
}

pub struct App<'a> {
    pub bytes: &'a [u8],
    pub sections: Vec<Section>,
    /// Every function type by type index (`None` for non-function types).
    pub types: Vec<Option<(Vec<ValType>, Vec<ValType>)>>,
    /// Type index of every function, imports first.
    pub func_types: Vec<u32>,
    pub func_imports: Vec<FuncImport>,
    pub func_names: HashMap<u32, String>,
    pub exports: Vec<(String, ExternalKind, u32)>,
    pub start: Option<u32>,
    pub memories: Vec<MemoryInfo>,
    pub num_globals: u32,
    pub num_data: u32,
    pub bodies: Vec<FunctionBody<'a>>,
    /// (memory, start, end) of each active data segment with a constant offset.
    pub active_data: Vec<(u32, u64, u64)>,
    /// Function index in each slot of each table, from active element
    /// segments with constant offsets (`None`: null or not a function).
    pub table_init: HashMap<u32, Vec<Option<u32>>>,
    /// Tables whose contents can change while the program runs (imported,
    /// exported, written by instructions, or filled in a way we cannot
    /// follow): `resolved_fid` cannot be known for them.
    pub tables_changing: std::collections::HashSet<u32>,
    /// Tables whose writes wham cannot follow (filled at offsets that are
    /// not constants): no shadow of their slots can be kept.
    pub tables_opaque: std::collections::HashSet<u32>,
    /// Tables the host can write too (imported or exported): shadowed,
    /// but the host's own writes are not seen.
    pub tables_host: std::collections::HashSet<u32>,
    /// The functions of every element segment, in index order (`None`:
    /// null or not a function), for `table.init`.
    pub elem_funcs: Vec<Vec<Option<u32>>>,
    num_imported_tables: u32,
    pub num_imported_memories: u32,
    /// Library memories the output imports (`memid(lib)`), set before
    /// weaving; see `memories.rs`.
    pub lib_memories: Vec<crate::memories::LibMemory>,
}

impl<'a> App<'a> {
    pub fn num_func_imports(&self) -> u32 {
        self.func_imports.len() as u32
    }

    pub fn num_imported_tables(&self) -> u32 {
        self.num_imported_tables
    }

    pub fn func_sig(&self, fid: u32) -> Option<&(Vec<ValType>, Vec<ValType>)> {
        let t = *self.func_types.get(fid as usize)?;
        self.types.get(t as usize)?.as_ref()
    }

    pub fn exported_func(&self, name: &str) -> Option<u32> {
        self.exports
            .iter()
            .find(|(n, k, _)| n == name && *k == ExternalKind::Func)
            .map(|(_, _, i)| *i)
    }

    fn read_elements(&mut self, e: wasmparser::Element<'_>) {
        let funcs: Vec<Option<u32>> = match e.items {
            wasmparser::ElementItems::Functions(r) => r.into_iter().map(|f| f.ok()).collect(),
            wasmparser::ElementItems::Expressions(_, r) => r
                .into_iter()
                .map(|c| match c.ok()?.get_operators_reader().read() {
                    Ok(wasmparser::Operator::RefFunc { function_index }) => Some(function_index),
                    _ => None,
                })
                .collect(),
        };
        self.elem_funcs.push(funcs.clone());
        let wasmparser::ElementKind::Active {
            table_index,
            offset_expr,
        } = e.kind
        else {
            return;
        };
        let table = table_index.unwrap_or(0);
        let offset = match offset_expr.get_operators_reader().read() {
            Ok(wasmparser::Operator::I32Const { value }) => value as u32 as usize,
            _ => {
                self.tables_changing.insert(table);
                self.tables_opaque.insert(table);
                return;
            }
        };
        // A slot map larger than this is not worth keeping (and an offset
        // that large would trap when the module is instantiated anyway).
        const MAX_SLOTS: usize = 1 << 20;
        if offset.saturating_add(funcs.len()) > MAX_SLOTS {
            self.tables_changing.insert(table);
            self.tables_opaque.insert(table);
            return;
        }
        let slots = self.table_init.entry(table).or_default();
        if slots.len() < offset + funcs.len() {
            slots.resize(offset + funcs.len(), None);
        }
        slots[offset..offset + funcs.len()].copy_from_slice(&funcs);
    }

    /// A function by name: its name-section name, an export, or an import.
    pub fn func_index_by_name(&self, name: &str) -> Option<u32> {
        self.func_names
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(i, _)| *i)
            .or_else(|| self.exported_func(name))
            .or_else(|| {
                self.func_imports
                    .iter()
                    .position(|i| i.name == name)
                    .map(|i| i as u32)
            })
    }

    /// The function index of an imported function, if imported.
    pub fn imported(&self, module: &str, name: &str) -> Option<u32> {
        self.func_imports
            .iter()
            .position(|i| i.module == module && i.name == name)
            .map(|i| i as u32)
    }

    /// Read and validate a module.
    pub fn parse(bytes: &'a [u8]) -> Result<App<'a>, Error> {
        let mut validator = Validator::new_with_features(WasmFeatures::all());
        validator.validate_all(bytes).map_err(|e| {
            Error::BadModule(format!(
                "{} (at byte offset {:#x})",
                e.message(),
                e.offset()
            ))
        })?;
        let mut app = App {
            bytes,
            sections: Vec::new(),
            types: Vec::new(),
            func_types: Vec::new(),
            func_imports: Vec::new(),
            func_names: HashMap::new(),
            exports: Vec::new(),
            start: None,
            memories: Vec::new(),
            num_globals: 0,
            num_data: 0,
            bodies: Vec::new(),
            active_data: Vec::new(),
            table_init: HashMap::new(),
            num_imported_tables: 0,
            tables_changing: Default::default(),
            tables_opaque: Default::default(),
            tables_host: Default::default(),
            num_imported_memories: 0,
            lib_memories: Vec::new(),
            elem_funcs: Vec::new(),
        };
        let bad = |e: wasmparser::BinaryReaderError| {
            Error::BadModule(format!(
                "{} (at byte offset {:#x})",
                e.message(),
                e.offset()
            ))
        };
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.map_err(bad)?;
            if let Some((id, range)) = payload.as_section() {
                let custom_name = match &payload {
                    Payload::CustomSection(c) => Some(c.name().to_string()),
                    _ => None,
                };
                app.sections.push(Section {
                    id,
                    range,
                    custom_name,
                });
            }
            match payload {
                Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                    return Err(Error::Unsupported(
                        "components (only core modules can be instrumented)".into(),
                    ));
                }
                Payload::TypeSection(r) => {
                    for group in r {
                        for sub in group.map_err(bad)?.into_types() {
                            app.types.push(match sub.composite_type.inner {
                                wasmparser::CompositeInnerType::Func(f) => {
                                    Some((f.params().to_vec(), f.results().to_vec()))
                                }
                                _ => None,
                            });
                        }
                    }
                }
                Payload::ImportSection(r) => {
                    for imp in r.into_imports() {
                        let imp = imp.map_err(bad)?;
                        match imp.ty {
                            TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                                app.func_types.push(t);
                                app.func_imports.push(FuncImport {
                                    module: imp.module.to_string(),
                                    name: imp.name.to_string(),
                                });
                            }
                            TypeRef::Memory(m) => {
                                app.num_imported_memories += 1;
                                app.memories.push(MemoryInfo {
                                    memory64: m.memory64,
                                    page_size_log2: m.page_size_log2,
                                    initial: m.initial,
                                })
                            }
                            TypeRef::Global(_) => app.num_globals += 1,
                            TypeRef::Table(_) => {
                                let t = app.num_imported_tables;
                                app.tables_changing.insert(t);
                                app.tables_host.insert(t);
                                app.num_imported_tables += 1;
                            }
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        app.func_types.push(t.map_err(bad)?);
                    }
                }
                Payload::MemorySection(r) => {
                    for m in r {
                        let m = m.map_err(bad)?;
                        app.memories.push(MemoryInfo {
                            memory64: m.memory64,
                            page_size_log2: m.page_size_log2,
                            initial: m.initial,
                        });
                    }
                }
                Payload::GlobalSection(r) => app.num_globals += r.count(),
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.map_err(bad)?;
                        if e.kind == ExternalKind::Table {
                            app.tables_changing.insert(e.index);
                            app.tables_host.insert(e.index);
                        }
                        app.exports.push((e.name.to_string(), e.kind, e.index));
                    }
                }
                Payload::StartSection { func, .. } => app.start = Some(func),
                Payload::ElementSection(r) => {
                    for e in r {
                        let e = e.map_err(bad)?;
                        app.read_elements(e);
                    }
                }
                Payload::DataSection(r) => {
                    app.num_data = r.count();
                    for d in r {
                        let d = d.map_err(bad)?;
                        if let wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } = d.kind
                        {
                            let mut ops = offset_expr.get_operators_reader();
                            let start = match ops.read() {
                                Ok(wasmparser::Operator::I32Const { value }) => {
                                    Some(value as u32 as u64)
                                }
                                Ok(wasmparser::Operator::I64Const { value }) => Some(value as u64),
                                _ => None,
                            };
                            if let Some(s) = start {
                                app.active_data
                                    .push((memory_index, s, s + d.data.len() as u64));
                            }
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    // instructions that write tables
                    let mut ops = body.get_operators_reader().map_err(bad)?;
                    while !ops.eof() {
                        use wasmparser::Operator as O;
                        match ops.read().map_err(bad)? {
                            O::TableSet { table }
                            | O::TableGrow { table }
                            | O::TableFill { table }
                            | O::TableInit { table, .. } => {
                                app.tables_changing.insert(table);
                            }
                            O::TableCopy { dst_table, .. } => {
                                app.tables_changing.insert(dst_table);
                            }
                            _ => {}
                        }
                    }
                    app.bodies.push(body)
                }
                Payload::CustomSection(c) => {
                    if let wasmparser::KnownCustom::Name(names) = c.as_known() {
                        for n in names {
                            if let Ok(wasmparser::Name::Function(map)) = n {
                                for naming in map.into_iter().flatten() {
                                    app.func_names.insert(naming.index, naming.name.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(app)
    }
}

/// The signature of a library's exported function (the library read once
/// per instrumentation: a monitor has hundreds of exports).
pub fn export_signature_in(
    lib: &App<'_>,
    name: &str,
) -> Result<(Vec<wasm_encoder::ValType>, Vec<wasm_encoder::ValType>), String> {
    use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
    let Some(index) = lib.exported_func(name) else {
        let mut funcs: Vec<&str> = lib
            .exports
            .iter()
            .filter(|(_, k, _)| *k == ExternalKind::Func)
            .map(|(n, _, _)| n.as_str())
            .collect();
        funcs.sort();
        return Err(format!(
            "the library exports no function `{name}` (it exports: {})",
            funcs.join(", ")
        ));
    };
    let (params, results) = lib
        .func_sig(index)
        .ok_or("the export is not a plain function")?;
    let conv = |v: &[ValType]| -> Result<Vec<wasm_encoder::ValType>, String> {
        v.iter()
            .map(|t| {
                RoundtripReencoder
                    .val_type(*t)
                    .map_err(|e| format!("{e:?}"))
            })
            .collect()
    };
    Ok((conv(params)?, conv(results)?))
}
