//! Everything instrumentation adds to a module, collected while code is
//! generated: function types, functions, globals, exports and the static
//! contents of the instrumentation memory. A backend decides where the
//! additions go (the index each kind starts at) and writes them out.

use std::collections::HashMap;
use wasm_encoder::{ConstExpr, Function, Instruction, ValType};

/// The first bytes of instrumentation memory are fixed scratch areas used
/// by the generated runtime; static data starts after them.
pub mod mem {
    /// An `iovec` and `nwritten` for `fd_write` when the instrumentation
    /// memory is the one WASI sees.
    pub const IOVEC: u32 = 0;
    /// Digits of a number being printed, written backwards.
    pub const DIGITS: u32 = 32;
    /// The report output buffer.
    pub const OUT_BUF: u32 = 64;
    pub const OUT_CAP: u32 = 4096;
    /// Where app memory is saved while WASI reads our bytes from it.
    pub const SAVE: u32 = OUT_BUF + OUT_CAP;
    pub const SAVE_CAP: u32 = OUT_CAP + 16;
    /// Static data (strings, per-site variables) starts here.
    pub const DATA_START: u32 = SAVE + SAVE_CAP;
}

/// Where the additions go in the final module's index spaces.
#[derive(Clone, Copy, Debug)]
pub struct Bases {
    /// Index of the first added function type.
    pub types: u32,
    /// Index of the first added function.
    pub funcs: u32,
    /// Index of the first added global.
    pub globals: u32,
    /// Index of the instrumentation memory.
    pub instr_mem: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sig {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

pub struct AddedFunc {
    pub type_index: u32,
    pub name: String,
    pub body: Option<Function>,
}

pub struct AddedGlobal {
    pub ty: ValType,
    pub mutable: bool,
    pub init: ConstExpr,
    pub name: String,
}

/// What instrumentation adds to a module.
pub struct Additions {
    pub bases: Bases,
    pub types: Vec<Sig>,
    type_index: HashMap<Sig, u32>,
    pub funcs: Vec<AddedFunc>,
    pub globals: Vec<AddedGlobal>,
    /// Exported functions: (name, function index).
    pub exports: Vec<(String, u32)>,
    /// Exported globals: (name, global index).
    pub global_exports: Vec<(String, u32)>,
    /// Exported memories: (name, memory index).
    pub memory_exports: Vec<(String, u32)>,
    /// Contents of the instrumentation memory from address 0.
    data: Vec<u8>,
    strings: HashMap<Vec<u8>, u32>,
    /// The map runtime, generated on first use.
    pub maps: Option<crate::maps::MapRuntime>,
    /// Type index of each function import the backend adds, in order.
    pub import_types: Vec<u32>,
    /// Generated map printers by (map type, CSV flavour).
    pub map_printers: HashMap<(wham_events::Ty, bool), u32>,
    /// Generated string functions by (operation, memory, memory).
    pub string_funcs: HashMap<(String, u32, u32), u32>,
    /// The float printers, generated on first use.
    pub float_printers: Option<crate::float_text::FloatPrinters>,
}

impl Additions {
    pub fn new(bases: Bases) -> Additions {
        Additions {
            bases,
            types: Vec::new(),
            type_index: HashMap::new(),
            funcs: Vec::new(),
            globals: Vec::new(),
            exports: Vec::new(),
            global_exports: Vec::new(),
            memory_exports: Vec::new(),
            data: vec![0; mem::DATA_START as usize],
            strings: HashMap::new(),
            maps: None,
            import_types: Vec::new(),
            map_printers: HashMap::new(),
            string_funcs: HashMap::new(),
            float_printers: None,
        }
    }

    pub fn instr_mem(&self) -> u32 {
        self.bases.instr_mem
    }

    /// The index of a function type, added if new.
    pub fn type_for(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        let sig = Sig {
            params: params.to_vec(),
            results: results.to_vec(),
        };
        if let Some(&i) = self.type_index.get(&sig) {
            return i;
        }
        let i = self.bases.types + self.types.len() as u32;
        self.types.push(sig.clone());
        self.type_index.insert(sig, i);
        i
    }

    /// Reserve a function index; its body comes later with [`Self::define`].
    pub fn reserve_func(&mut self, name: &str, params: &[ValType], results: &[ValType]) -> u32 {
        let type_index = self.type_for(params, results);
        self.funcs.push(AddedFunc {
            type_index,
            name: name.to_string(),
            body: None,
        });
        self.bases.funcs + self.funcs.len() as u32 - 1
    }

    pub fn define(&mut self, func_index: u32, body: Function) {
        let i = (func_index - self.bases.funcs) as usize;
        self.funcs[i].body = Some(body);
    }

    pub fn sig_of(&self, func_index: u32) -> &Sig {
        let i = (func_index - self.bases.funcs) as usize;
        &self.types[(self.funcs[i].type_index - self.bases.types) as usize]
    }

    pub fn add_global(&mut self, name: &str, ty: ValType, init: ConstExpr) -> u32 {
        self.globals.push(AddedGlobal {
            ty,
            mutable: true,
            init,
            name: name.to_string(),
        });
        self.bases.globals + self.globals.len() as u32 - 1
    }

    /// An immutable global (exported facts such as an ABI version).
    pub fn add_const_global(&mut self, name: &str, ty: ValType, init: ConstExpr) -> u32 {
        let g = self.add_global(name, ty, init);
        self.globals.last_mut().expect("just added").mutable = false;
        g
    }

    /// Reserve `size` zeroed bytes of instrumentation memory.
    pub fn alloc(&mut self, size: u32, align: u32) -> u32 {
        let align = align.max(1) as usize;
        let start = self.data.len().div_ceil(align) * align;
        self.data.resize(start + size as usize, 0);
        start as u32
    }

    /// Set initial bytes of instrumentation memory.
    pub fn init_bytes(&mut self, addr: u32, bytes: &[u8]) {
        let a = addr as usize;
        self.data[a..a + bytes.len()].copy_from_slice(bytes);
    }

    /// A string's (address, length) in instrumentation memory, stored once.
    pub fn string(&mut self, bytes: &[u8]) -> (u32, u32) {
        if let Some(&a) = self.strings.get(bytes) {
            return (a, bytes.len() as u32);
        }
        let a = self.alloc(bytes.len() as u32, 1);
        self.init_bytes(a, bytes);
        self.strings.insert(bytes.to_vec(), a);
        (a, bytes.len() as u32)
    }

    /// End of static data (where a heap may start).
    pub fn data_end(&self) -> u32 {
        self.data.len() as u32
    }

    /// Pages the instrumentation memory needs.
    pub fn pages(&self) -> u64 {
        (self.data.len() as u64).div_ceil(65536).max(1)
    }

    /// The non-zero runs of the instrumentation memory as (address, bytes)
    /// data segments; zero runs are left to the memory's zero fill so the
    /// output stays small however many per-site counters there are.
    pub fn data_segments(&self) -> Vec<(u32, &[u8])> {
        const GAP: usize = 32;
        let mut out = Vec::new();
        let d = &self.data;
        let mut i = 0;
        while i < d.len() {
            if d[i] == 0 {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i + 1;
            let mut zeros = 0;
            let mut j = end;
            while j < d.len() && zeros < GAP {
                if d[j] == 0 {
                    zeros += 1;
                } else {
                    zeros = 0;
                    end = j + 1;
                }
                j += 1;
            }
            out.push((start as u32, &d[start..end]));
            i = end;
        }
        out
    }
}

/// A function body under construction: its extra locals and instructions.
#[derive(Default)]
pub struct Body {
    pub locals: Vec<ValType>,
    pub code: Vec<Instruction<'static>>,
}

impl Body {
    pub fn finish(self) -> Function {
        let mut f = Function::new_with_locals_types(self.locals);
        for i in &self.code {
            f.instruction(i);
        }
        f.instruction(&Instruction::End);
        f
    }
}
