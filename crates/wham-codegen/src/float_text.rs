//! Printing `f32`/`f64` values the way the original's report does (Rust's
//! `{:+e}`: shortest round-trip digits). The algorithm is written as
//! WebAssembly text in `float_text.wat`, which is far easier to read and
//! check than instruction vectors; on first use its functions are copied
//! into the module being built, with their calls, memory and scratch
//! addresses moved to where they live there.

use crate::module::Additions;
use crate::runtime::Runtime;
use std::sync::OnceLock;
use wasm_encoder::reencode::{Error, Reencode};
use wasm_encoder::{Instruction, MemArg, ValType};
use wasmparser::{Operator, Parser, Payload};

const SOURCE: &str = include_str!("float_text.wat");

/// Bytes of instrumentation memory the functions work in (see the layout
/// at the top of `float_text.wat`).
const SCRATCH_BYTES: u32 = 880;

/// The generated printers: `(v: f32)` and `(v: f64)`, appending to the
/// report output.
#[derive(Clone, Copy, Debug)]
pub struct FloatPrinters {
    pub put_f32: u32,
    pub put_f64: u32,
}

/// The printers, generated on first use.
pub fn printers(add: &mut Additions, rt: &Runtime) -> FloatPrinters {
    if let Some(p) = add.float_printers {
        return p;
    }
    let p = copy_into(add, rt);
    add.float_printers = Some(p);
    p
}

fn binary() -> &'static [u8] {
    static BINARY: OnceLock<Vec<u8>> = OnceLock::new();
    BINARY.get_or_init(|| wat::parse_str(SOURCE).expect("float_text.wat is valid text"))
}

/// Where the copied code's references go in the module being built.
struct Relocate {
    /// New index of each function of the text module (its one import,
    /// `put_bytes`, first).
    funcs: Vec<u32>,
    memory: u32,
    scratch: u32,
}

impl Reencode for Relocate {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, Error<Self::Error>> {
        Ok(self.funcs[func as usize])
    }

    fn memory_index(&mut self, _memory: u32) -> Result<u32, Error<Self::Error>> {
        Ok(self.memory)
    }

    fn mem_arg(&mut self, arg: wasmparser::MemArg) -> Result<MemArg, Error<Self::Error>> {
        Ok(MemArg {
            offset: arg.offset + u64::from(self.scratch),
            align: arg.align.into(),
            memory_index: self.memory,
        })
    }
}

fn val_types(types: &[wasmparser::ValType]) -> Vec<ValType> {
    types
        .iter()
        .map(|t| {
            wasm_encoder::reencode::RoundtripReencoder
                .val_type(*t)
                .expect("float_text.wat uses only numbers")
        })
        .collect()
}

// The text module is ours and fixed, so a failure to read it is a bug in
// this crate, found by the first test that prints a float: hence `expect`.
fn copy_into(add: &mut Additions, rt: &Runtime) -> FloatPrinters {
    let mut sigs = Vec::new();
    let mut func_types = Vec::new();
    let mut exports = Vec::new();
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(binary()) {
        match payload.expect("float_text.wat parses") {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.expect("a function type");
                    sigs.push((val_types(ty.params()), val_types(ty.results())));
                }
            }
            Payload::FunctionSection(reader) => {
                func_types = reader
                    .into_iter()
                    .map(|t| t.expect("a type index"))
                    .collect();
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("an export");
                    exports.push((export.name.to_string(), export.index));
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body),
            _ => {}
        }
    }
    let scratch = add.alloc(SCRATCH_BYTES, 8);
    let mut funcs = vec![rt.put_bytes];
    for (i, &ty) in func_types.iter().enumerate() {
        let (params, results) = &sigs[ty as usize];
        funcs.push(add.reserve_func(&format!("wham_float_text_{i}"), params, results));
    }
    let mut relocate = Relocate {
        funcs,
        memory: add.instr_mem(),
        scratch,
    };
    for (i, body) in bodies.into_iter().enumerate() {
        let mut f = relocate
            .new_function_with_parsed_locals(&body)
            .expect("locals");
        let mut ops = body.get_operators_reader().expect("code");
        while !ops.eof() {
            let op = ops.read().expect("an instruction");
            // The only global is the scratch area's address.
            let ins = match op {
                Operator::GlobalGet { .. } => Instruction::I32Const(scratch as i32),
                other => relocate.instruction(other).expect("relocatable"),
            };
            f.instruction(&ins);
        }
        add.define(relocate.funcs[i + 1], f);
    }
    let export = |name: &str| {
        let (_, index) = exports
            .iter()
            .find(|(n, _)| n == name)
            .expect("float_text.wat exports it");
        relocate.funcs[*index as usize]
    };
    FloatPrinters {
        put_f32: export("put_f32"),
        put_f64: export("put_f64"),
    }
}
