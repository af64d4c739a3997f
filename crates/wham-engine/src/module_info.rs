//! What fusing needs to know about a module: its index spaces (imported
//! first, then defined), its imports, exports and function bodies.

use wasmparser::{
    ExternalKind, FunctionBody, GlobalType, MemoryType, Parser, Payload, TableType, TypeRef,
    ValType,
};

/// Counts of one index space: how many are imported, how many defined.
#[derive(Clone, Copy, Debug, Default)]
pub struct Space {
    pub imported: u32,
    pub defined: u32,
}

impl Space {
    pub fn total(&self) -> u32 {
        self.imported + self.defined
    }
}

pub struct Import<'a> {
    pub module: &'a str,
    pub name: &'a str,
    pub ty: TypeRef,
}

/// A parsed module, borrowing its bytes.
pub struct ModuleInfo<'a> {
    pub bytes: &'a [u8],
    /// Number of types (every sub-type of every rec group counts).
    pub num_types: u32,
    /// Function signatures by type index (`None` for non-function types).
    pub func_sigs: Vec<Option<(Vec<ValType>, Vec<ValType>)>>,
    pub imports: Vec<Import<'a>>,
    /// The type index of every function, imported ones first.
    pub func_types: Vec<u32>,
    pub funcs: Space,
    pub memories: Space,
    pub globals: Space,
    pub tables: Space,
    pub tags: Space,
    /// Types of every memory, global and table, imported ones first.
    pub memory_types: Vec<MemoryType>,
    pub global_types: Vec<GlobalType>,
    pub table_types: Vec<TableType>,
    pub exports: Vec<(&'a str, ExternalKind, u32)>,
    pub bodies: Vec<FunctionBody<'a>>,
    pub start: Option<u32>,
    pub data_segments: u32,
    pub elem_segments: u32,
    pub has_data_count: bool,
}

impl<'a> ModuleInfo<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<ModuleInfo<'a>, wasmparser::BinaryReaderError> {
        let mut m = ModuleInfo {
            bytes,
            num_types: 0,
            func_sigs: Vec::new(),
            imports: Vec::new(),
            func_types: Vec::new(),
            funcs: Space::default(),
            memories: Space::default(),
            globals: Space::default(),
            tables: Space::default(),
            tags: Space::default(),
            memory_types: Vec::new(),
            global_types: Vec::new(),
            table_types: Vec::new(),
            exports: Vec::new(),
            bodies: Vec::new(),
            start: None,
            data_segments: 0,
            elem_segments: 0,
            has_data_count: false,
        };
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(r) => {
                    for group in r {
                        for sub in group?.into_types() {
                            m.num_types += 1;
                            m.func_sigs.push(match &sub.composite_type.inner {
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
                        let imp = imp?;
                        match imp.ty {
                            TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                                m.funcs.imported += 1;
                                m.func_types.push(t);
                            }
                            TypeRef::Memory(t) => {
                                m.memories.imported += 1;
                                m.memory_types.push(t);
                            }
                            TypeRef::Global(t) => {
                                m.globals.imported += 1;
                                m.global_types.push(t);
                            }
                            TypeRef::Table(t) => {
                                m.tables.imported += 1;
                                m.table_types.push(t);
                            }
                            TypeRef::Tag(_) => m.tags.imported += 1,
                        }
                        m.imports.push(Import {
                            module: imp.module,
                            name: imp.name,
                            ty: imp.ty,
                        });
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        m.func_types.push(t?);
                        m.funcs.defined += 1;
                    }
                }
                Payload::MemorySection(r) => {
                    for t in r {
                        m.memory_types.push(t?);
                        m.memories.defined += 1;
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        m.global_types.push(g?.ty);
                        m.globals.defined += 1;
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        m.table_types.push(t?.ty);
                        m.tables.defined += 1;
                    }
                }
                Payload::TagSection(r) => m.tags.defined += r.count(),
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e?;
                        m.exports.push((e.name, e.kind, e.index));
                    }
                }
                Payload::StartSection { func, .. } => m.start = Some(func),
                Payload::ElementSection(r) => m.elem_segments += r.count(),
                Payload::DataSection(r) => m.data_segments += r.count(),
                Payload::DataCountSection { .. } => m.has_data_count = true,
                Payload::CodeSectionEntry(body) => m.bodies.push(body),
                _ => {}
            }
        }
        Ok(m)
    }

    /// The signature of function `f`.
    pub fn func_sig(&self, f: u32) -> Option<&(Vec<ValType>, Vec<ValType>)> {
        let t = *self.func_types.get(f as usize)?;
        self.func_sigs.get(t as usize)?.as_ref()
    }

    /// The function an export names.
    pub fn exported_func(&self, name: &str) -> Option<u32> {
        self.exports
            .iter()
            .find(|(n, k, _)| *n == name && *k == ExternalKind::Func)
            .map(|(_, _, i)| *i)
    }

    /// The function imports, in index order.
    pub fn func_imports(&self) -> impl Iterator<Item = &Import<'a>> {
        self.imports
            .iter()
            .filter(|i| matches!(i.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)))
    }
}

/// The encoder's name for an export kind.
pub fn export_kind(kind: ExternalKind) -> wasm_encoder::ExportKind {
    use wasm_encoder::ExportKind as K;
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => K::Func,
        ExternalKind::Table => K::Table,
        ExternalKind::Memory => K::Memory,
        ExternalKind::Global => K::Global,
        ExternalKind::Tag => K::Tag,
    }
}
