//! Operand and result types of opcodes, derived from the mnemonic family
//! (`T.load*`, `T.add`, `T.convert_S_u`, SIMD shapes, ...) plus a short
//! table for the rest. `None` means the types depend on the site (calls,
//! locals, block types, GC field types).

use crate::WasmType::{self, F32, F64, I32, I64, Ref, V128};

/// Operand (bottom-to-top) and result types of an opcode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub operands: Option<Vec<WasmType>>,
    pub results: Option<Vec<WasmType>>,
}

impl Shape {
    fn fixed(operands: &[WasmType], results: &[WasmType]) -> Shape {
        Shape {
            operands: Some(operands.to_vec()),
            results: Some(results.to_vec()),
        }
    }

    fn unknown() -> Shape {
        Shape {
            operands: None,
            results: None,
        }
    }
}

/// The shape of the opcode named `name` (a WAT mnemonic).
pub(crate) fn shape(name: &str) -> Shape {
    if let Some(shape) = table_shape(name) {
        return shape;
    }
    let Some((prefix, op)) = name.split_once('.') else {
        return Shape::unknown();
    };
    if let Some(t) = scalar(prefix) {
        return scalar_shape(t, op).unwrap_or_else(Shape::unknown);
    }
    if prefix == "v128" {
        return v128_shape(op).unwrap_or_else(Shape::unknown);
    }
    if let Some(lane) = lane_type(prefix) {
        return lanes_shape(lane, op);
    }
    Shape::unknown()
}

/// The Wasm type a scalar prefix names.
pub(crate) fn scalar(prefix: &str) -> Option<WasmType> {
    match prefix {
        "i32" => Some(I32),
        "i64" => Some(I64),
        "f32" => Some(F32),
        "f64" => Some(F64),
        _ => None,
    }
}

/// The scalar type of one lane of a SIMD shape (`i8x16` lanes live in i32).
pub(crate) fn lane_type(shape: &str) -> Option<WasmType> {
    match shape {
        "i8x16" | "i16x8" | "i32x4" => Some(I32),
        "i64x2" => Some(I64),
        "f32x4" => Some(F32),
        "f64x2" => Some(F64),
        _ => None,
    }
}

const CONVERSIONS: &[&str] = &[
    "wrap",
    "trunc",
    "extend",
    "convert",
    "demote",
    "promote",
    "reinterpret",
];
const SCALAR_UNARY: &[&str] = &[
    "clz",
    "ctz",
    "popcnt",
    "abs",
    "neg",
    "ceil",
    "floor",
    "trunc",
    "nearest",
    "sqrt",
    "extend8_s",
    "extend16_s",
    "extend32_s",
];
const SCALAR_BINARY: &[&str] = &[
    "add", "sub", "mul", "div", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl",
    "shr_s", "shr_u", "rotl", "rotr", "min", "max", "copysign",
];
const COMPARES: &[&str] = &[
    "eq", "ne", "lt", "lt_s", "lt_u", "gt", "gt_s", "gt_u", "le", "le_s", "le_u", "ge", "ge_s",
    "ge_u",
];

/// Whether `op` (after the type prefix) is a scalar comparison.
pub(crate) fn is_compare(op: &str) -> bool {
    op == "eqz" || COMPARES.contains(&op)
}

/// The source type of a conversion op (`trunc_sat_f32_s` → f32).
pub(crate) fn conversion_source(op: &str) -> Option<WasmType> {
    let mut tokens = op.split('_');
    if !CONVERSIONS.contains(&tokens.next()?) {
        return None;
    }
    tokens.find_map(scalar)
}

fn scalar_shape(t: WasmType, op: &str) -> Option<Shape> {
    let atomic = op.strip_prefix("atomic.");
    let plain = atomic.unwrap_or(op);
    if plain.starts_with("load") {
        return Some(Shape::fixed(&[I32], &[t]));
    }
    if plain.starts_with("store") {
        return Some(Shape::fixed(&[I32, t], &[]));
    }
    if let Some(rmw) = atomic.filter(|o| o.starts_with("rmw")) {
        return Some(if rmw.contains("cmpxchg") {
            Shape::fixed(&[I32, t, t], &[t])
        } else {
            Shape::fixed(&[I32, t], &[t])
        });
    }
    if atomic.is_some() {
        return None;
    }
    Some(match op {
        "const" => Shape::fixed(&[], &[t]),
        "eqz" => Shape::fixed(&[t], &[I32]),
        "add128" | "sub128" => Shape::fixed(&[t, t, t, t], &[t, t]),
        "mul_wide_s" | "mul_wide_u" => Shape::fixed(&[t, t], &[t, t]),
        _ if COMPARES.contains(&op) => Shape::fixed(&[t, t], &[I32]),
        _ if SCALAR_UNARY.contains(&op) => Shape::fixed(&[t], &[t]),
        _ if SCALAR_BINARY.contains(&op) => Shape::fixed(&[t, t], &[t]),
        _ => Shape::fixed(&[conversion_source(op)?], &[t]),
    })
}

fn v128_shape(op: &str) -> Option<Shape> {
    Some(match op {
        "const" => Shape::fixed(&[], &[V128]),
        "not" => Shape::fixed(&[V128], &[V128]),
        "and" | "andnot" | "or" | "xor" => Shape::fixed(&[V128, V128], &[V128]),
        "bitselect" => Shape::fixed(&[V128, V128, V128], &[V128]),
        "any_true" => Shape::fixed(&[V128], &[I32]),
        _ if op.starts_with("load") && op.ends_with("_lane") => Shape::fixed(&[I32, V128], &[V128]),
        _ if op.starts_with("load") => Shape::fixed(&[I32], &[V128]),
        _ if op.starts_with("store") => Shape::fixed(&[I32, V128], &[]),
        _ => return None,
    })
}

/// SIMD ops of one lane shape that take a single vector.
const LANES_UNARY_PREFIXES: &[&str] = &[
    "abs",
    "neg",
    "popcnt",
    "ceil",
    "floor",
    "trunc",
    "nearest",
    "sqrt",
    "extend_",
    "extadd_pairwise",
    "convert",
    "demote",
    "promote",
    "relaxed_trunc",
];
/// SIMD ops of one lane shape that take three vectors.
const LANES_TERNARY: &[&str] = &[
    "relaxed_madd",
    "relaxed_nmadd",
    "relaxed_laneselect",
    "relaxed_dot_i8x16_i7x16_add_s",
];

fn lanes_shape(lane: WasmType, op: &str) -> Shape {
    match op {
        "splat" => Shape::fixed(&[lane], &[V128]),
        "replace_lane" => Shape::fixed(&[V128, lane], &[V128]),
        "shl" | "shr_s" | "shr_u" => Shape::fixed(&[V128, I32], &[V128]),
        "all_true" | "bitmask" => Shape::fixed(&[V128], &[I32]),
        _ if op.starts_with("extract_lane") => Shape::fixed(&[V128], &[lane]),
        _ if LANES_TERNARY.contains(&op) => Shape::fixed(&[V128, V128, V128], &[V128]),
        _ if LANES_UNARY_PREFIXES.iter().any(|p| op.starts_with(p)) => {
            Shape::fixed(&[V128], &[V128])
        }
        // Everything else of a lane shape combines two vectors (add,
        // compare, narrow, shuffle, swizzle, dot, extmul, q15mulr, ...).
        _ => Shape::fixed(&[V128, V128], &[V128]),
    }
}

/// Opcodes outside the numeric families: (name, operands, results), where
/// `?` means site-dependent and `ref` any reference the site determines.
const TABLE: &[(&str, &str, &str)] = &[
    ("unreachable", "", ""),
    ("nop", "", ""),
    ("memory.size", "", "i32"),
    ("memory.grow", "i32", "i32"),
    ("memory.init", "i32 i32 i32", ""),
    ("memory.copy", "i32 i32 i32", ""),
    ("memory.fill", "i32 i32 i32", ""),
    ("memory.discard", "i32 i32", ""),
    ("data.drop", "", ""),
    ("memory.atomic.notify", "i32 i32", "i32"),
    ("memory.atomic.wait32", "i32 i32 i64", "i32"),
    ("memory.atomic.wait64", "i32 i64 i64", "i32"),
    ("atomic.fence", "", ""),
    ("table.get", "i32", "ref"),
    ("table.set", "i32 ref", ""),
    ("table.size", "", "i32"),
    ("table.grow", "ref i32", "i32"),
    ("table.fill", "i32 ref i32", ""),
    ("table.init", "i32 i32 i32", ""),
    ("table.copy", "i32 i32 i32", ""),
    ("elem.drop", "", ""),
    ("table.atomic.get", "i32", "ref"),
    ("table.atomic.set", "i32 ref", ""),
    ("table.atomic.rmw.xchg", "i32 ref", "ref"),
    ("table.atomic.rmw.cmpxchg", "i32 ref ref", "ref"),
    ("ref.null", "", "ref"),
    ("ref.is_null", "ref", "i32"),
    ("ref.func", "", "funcref"),
    ("ref.eq", "ref ref", "i32"),
    ("ref.as_non_null", "ref", "ref"),
    ("ref.test", "ref", "i32"),
    ("ref.test_null", "ref", "i32"),
    ("ref.cast", "ref", "ref"),
    ("ref.cast_null", "ref", "ref"),
    ("ref.i31", "i32", "ref"),
    ("ref.i31_shared", "i32", "ref"),
    ("i31.get_s", "ref", "i32"),
    ("i31.get_u", "ref", "i32"),
    ("any.convert_extern", "ref", "ref"),
    ("extern.convert_any", "ref", "ref"),
    ("struct.new", "?", "ref"),
    ("struct.new_default", "", "ref"),
    ("struct.get", "ref", "?"),
    ("struct.get_s", "ref", "i32"),
    ("struct.get_u", "ref", "i32"),
    ("struct.set", "?", ""),
    ("array.new", "?", "ref"),
    ("array.new_default", "i32", "ref"),
    ("array.new_fixed", "?", "ref"),
    ("array.new_data", "i32 i32", "ref"),
    ("array.new_elem", "i32 i32", "ref"),
    ("array.get", "ref i32", "?"),
    ("array.get_s", "ref i32", "i32"),
    ("array.get_u", "ref i32", "i32"),
    ("array.set", "?", ""),
    ("array.len", "ref", "i32"),
    ("array.fill", "?", ""),
    ("array.copy", "ref i32 ref i32 i32", ""),
    ("array.init_data", "ref i32 i32 i32", ""),
    ("array.init_elem", "ref i32 i32 i32", ""),
    ("struct.new_desc", "?", "ref"),
    ("struct.new_default_desc", "ref", "ref"),
    ("ref.get_desc", "ref", "ref"),
    ("ref.cast_desc_eq", "ref ref", "ref"),
    ("ref.cast_desc_eq_null", "ref ref", "ref"),
    ("struct.atomic.get", "ref", "?"),
    ("struct.atomic.get_s", "ref", "i32"),
    ("struct.atomic.get_u", "ref", "i32"),
    ("struct.atomic.set", "?", ""),
    ("array.atomic.get", "ref i32", "?"),
    ("array.atomic.get_s", "ref i32", "i32"),
    ("array.atomic.get_u", "ref i32", "i32"),
    ("array.atomic.set", "?", ""),
    ("throw_ref", "ref", ""),
    ("rethrow", "", ""),
    ("cont.new", "ref", "ref"),
];

fn table_shape(name: &str) -> Option<Shape> {
    let (_, operands, results) = TABLE.iter().find(|(n, _, _)| *n == name)?;
    Some(Shape {
        operands: parse_types(operands),
        results: parse_types(results),
    })
}

fn parse_types(spec: &str) -> Option<Vec<WasmType>> {
    spec.split_whitespace()
        .map(|t| match t {
            "i32" => Some(I32),
            "i64" => Some(I64),
            "f32" => Some(F32),
            "f64" => Some(F64),
            "v128" => Some(V128),
            "funcref" => Some(WasmType::Funcref),
            "ref" => Some(Ref),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(ops: &[WasmType], res: &[WasmType]) -> Shape {
        Shape::fixed(ops, res)
    }

    #[test]
    fn families() {
        assert_eq!(shape("i32.load8_s"), fixed(&[I32], &[I32]));
        assert_eq!(shape("i64.store32"), fixed(&[I32, I64], &[]));
        assert_eq!(shape("f64.const"), fixed(&[], &[F64]));
        assert_eq!(shape("i64.lt_u"), fixed(&[I64, I64], &[I32]));
        assert_eq!(shape("f32.convert_i64_u"), fixed(&[I64], &[F32]));
        assert_eq!(shape("i32.trunc_sat_f64_s"), fixed(&[F64], &[I32]));
        assert_eq!(shape("i64.extend_i32_u"), fixed(&[I32], &[I64]));
        assert_eq!(shape("i64.extend32_s"), fixed(&[I64], &[I64]));
        assert_eq!(shape("f32.trunc"), fixed(&[F32], &[F32]));
        assert_eq!(
            shape("i64.atomic.rmw32.cmpxchg_u"),
            fixed(&[I32, I64, I64], &[I64])
        );
        assert_eq!(shape("i32.atomic.rmw8.add_u"), fixed(&[I32, I32], &[I32]));
        assert_eq!(shape("i32x4.extract_lane"), fixed(&[V128], &[I32]));
        assert_eq!(shape("f64x2.replace_lane"), fixed(&[V128, F64], &[V128]));
        assert_eq!(shape("v128.load16_lane"), fixed(&[I32, V128], &[V128]));
        assert_eq!(shape("v128.store8_lane"), fixed(&[I32, V128], &[]));
        assert_eq!(shape("i8x16.shl"), fixed(&[V128, I32], &[V128]));
        assert_eq!(shape("memory.grow"), fixed(&[I32], &[I32]));
        assert_eq!(shape("call"), Shape::unknown());
        assert_eq!(shape("struct.get").results, None);
    }
}
