//! How script types live in Wasm: value types on the stack and in locals,
//! and byte layouts in instrumentation memory.

use wasm_encoder::{Instruction, MemArg, ValType};
use wham_events::Ty;

/// The Wasm values a script type is made of, flattened in order
/// (`str` is an address and a length; tuples concatenate their elements).
pub fn val_types(ty: &Ty) -> Vec<ValType> {
    let mut out = Vec::new();
    push_val_types(ty, &mut out);
    out
}

fn push_val_types(ty: &Ty, out: &mut Vec<ValType>) {
    match ty {
        Ty::U8 | Ty::I8 | Ty::U16 | Ty::I16 | Ty::U32 | Ty::I32 | Ty::Bool => {
            out.push(ValType::I32)
        }
        Ty::U64 | Ty::I64 => out.push(ValType::I64),
        Ty::F32 => out.push(ValType::F32),
        Ty::F64 => out.push(ValType::F64),
        Ty::V128 => out.push(ValType::V128),
        Ty::Funcref => out.push(ValType::FUNCREF),
        Ty::Str => out.extend([ValType::I32, ValType::I32]),
        // A map is an id into the generated map runtime.
        Ty::Map(..) => out.push(ValType::I32),
        Ty::Tuple(items) => items.iter().for_each(|t| push_val_types(t, out)),
        Ty::Unit | Ty::Unknown | Ty::Param(_) => {}
    }
}

/// Bytes one Wasm value takes in instrumentation memory.
pub fn val_size(vt: ValType) -> u32 {
    match vt {
        ValType::I64 | ValType::F64 => 8,
        ValType::V128 => 16,
        _ => 4,
    }
}

/// Bytes a script value takes in instrumentation memory (each flattened
/// value at its natural size, 8-byte aligned overall).
pub fn mem_size(ty: &Ty) -> u32 {
    val_types(ty).into_iter().map(val_size).sum()
}

/// Whether a value of this type can be kept in memory (function
/// references cannot be stored in linear memory).
pub fn storable(ty: &Ty) -> bool {
    !val_types(ty).iter().any(|v| matches!(v, ValType::Ref(_)))
}

/// A memory access at `offset` in `memory` with alignment hint `align`
/// (log2 bytes), for the generated runtime's loads and stores.
pub fn at(memory: u32, offset: u64, align: u32) -> MemArg {
    MemArg {
        offset,
        align,
        memory_index: memory,
    }
}

pub fn memarg(memory: u32, offset: u64, vt: ValType) -> MemArg {
    MemArg {
        offset,
        align: match val_size(vt) {
            8 => 3,
            16 => 4,
            _ => 2,
        },
        memory_index: memory,
    }
}

pub fn load(vt: ValType, m: MemArg) -> Instruction<'static> {
    match vt {
        ValType::I64 => Instruction::I64Load(m),
        ValType::F32 => Instruction::F32Load(m),
        ValType::F64 => Instruction::F64Load(m),
        ValType::V128 => Instruction::V128Load(m),
        _ => Instruction::I32Load(m),
    }
}

pub fn store(vt: ValType, m: MemArg) -> Instruction<'static> {
    match vt {
        ValType::I64 => Instruction::I64Store(m),
        ValType::F32 => Instruction::F32Store(m),
        ValType::F64 => Instruction::F64Store(m),
        ValType::V128 => Instruction::V128Store(m),
        _ => Instruction::I32Store(m),
    }
}

/// The zero value of a Wasm type.
pub fn zero(vt: ValType) -> Instruction<'static> {
    match vt {
        ValType::I64 => Instruction::I64Const(0),
        ValType::F32 => Instruction::F32Const(0.0f32.into()),
        ValType::F64 => Instruction::F64Const(0.0f64.into()),
        ValType::V128 => Instruction::V128Const(0),
        ValType::Ref(r) => Instruction::RefNull(r.heap_type),
        _ => Instruction::I32Const(0),
    }
}

/// Instructions that bring an i32 holding a narrow integer back into its
/// type's range after arithmetic (`u8` masks, `i8` sign-extends).
pub fn normalize(ty: &Ty) -> Vec<Instruction<'static>> {
    match ty {
        Ty::U8 => vec![Instruction::I32Const(0xFF), Instruction::I32And],
        Ty::U16 => vec![Instruction::I32Const(0xFFFF), Instruction::I32And],
        Ty::I8 => vec![Instruction::I32Extend8S],
        Ty::I16 => vec![Instruction::I32Extend16S],
        _ => Vec::new(),
    }
}

/// The type name as the report prints it (`map<u32,u32>`, `(i32,bool)`:
/// no spaces).
pub fn report_type_name(ty: &Ty) -> String {
    ty.to_string().replace(' ', "")
}

/// The Wasm representation as the report prints it (`i32`, `(i32; i32)`).
pub fn report_wasm_name(ty: &Ty) -> String {
    let vts = val_types(ty);
    let name = |v: &ValType| match v {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        ValType::Ref(_) => "ref",
    };
    if vts.len() == 1 {
        name(&vts[0]).to_string()
    } else {
        format!("({})", vts.iter().map(name).collect::<Vec<_>>().join("; "))
    }
}
