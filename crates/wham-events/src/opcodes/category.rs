//! Opcode categories: the original whamm's assignments for the opcodes it
//! knows, and the same spirit for the rest.
//!
//! Decided divergence: `try_table` is `exn` (the original says `table`, a
//! slip). New families: SIMD memory accesses are load/store and other SIMD
//! is `simd`; legacy exception ops are `exn`; stack switching is
//! `control`; wide arithmetic is `arith`; shared-everything atomics are
//! `atomic`; `ref.*` ops the original lacks are `ref`.

use super::signature::{conversion_source, is_compare, scalar};
use crate::Category;

/// `ref.*` ops the original lists under `gc`.
const GC_REFS: &[&str] = &[
    "ref.null",
    "ref.is_null",
    "ref.eq",
    "ref.func",
    "ref.test",
    "ref.test_null",
    "ref.cast",
    "ref.cast_null",
    "ref.i31",
];

pub(crate) fn category(name: &str, proposal: &str) -> Category {
    match proposal {
        "simd" | "relaxed_simd" if name.starts_with("v128.load") => return Category::Load,
        "simd" | "relaxed_simd" if name.starts_with("v128.store") => return Category::Store,
        "simd" | "relaxed_simd" => return Category::Simd,
        "exceptions" | "legacy_exceptions" => return Category::Exn,
        "stack_switching" => return Category::Control,
        "wide_arithmetic" => return Category::Arith,
        "threads" => return Category::Atomic,
        "shared_everything_threads" if name.contains(".atomic.") => return Category::Atomic,
        _ => {}
    }
    let (prefix, op) = name.split_once('.').unwrap_or(("", name));
    match prefix {
        "local" => return Category::Local,
        "global" => return Category::Global,
        "table" | "elem" => return Category::Table,
        "memory" | "data" => return Category::Memory,
        "struct" | "array" | "i31" | "any" | "extern" => return Category::Gc,
        "ref" if name == "ref.as_non_null" => return Category::Convert,
        "ref" if GC_REFS.contains(&name) => return Category::Gc,
        "ref" => return Category::Ref,
        _ => {}
    }
    if scalar(prefix).is_some() {
        return scalar_category(op);
    }
    match name {
        "unreachable" | "nop" | "drop" => Category::Misc,
        _ => Category::Control,
    }
}

fn scalar_category(op: &str) -> Category {
    if op == "const" {
        Category::Const
    } else if op.starts_with("load") {
        Category::Load
    } else if op.starts_with("store") {
        Category::Store
    } else if is_compare(op) {
        Category::Compare
    } else if conversion_source(op).is_some() || op.starts_with("extend") {
        // Sign extension (`i32.extend8_s`) sits with the conversions, as in
        // the original (0xC0..0xC4).
        Category::Convert
    } else {
        Category::Arith
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn original_categories() {
        assert_eq!(category("try_table", "exceptions"), Category::Exn);
        assert_eq!(
            category("i32.extend8_s", "sign_extension"),
            Category::Convert
        );
        assert_eq!(
            category("i32.trunc_sat_f32_s", "saturating_float_to_int"),
            Category::Convert
        );
        assert_eq!(category("select", "mvp"), Category::Control);
        assert_eq!(category("drop", "mvp"), Category::Misc);
        assert_eq!(
            category("ref.as_non_null", "function_references"),
            Category::Convert
        );
        assert_eq!(category("ref.func", "reference_types"), Category::Gc);
        assert_eq!(category("i32.atomic.load", "threads"), Category::Atomic);
        assert_eq!(category("v128.load8_lane", "simd"), Category::Load);
        assert_eq!(category("v128.const", "simd"), Category::Simd);
        assert_eq!(category("i64.div_u", "mvp"), Category::Arith);
        assert_eq!(category("f64.ge", "mvp"), Category::Compare);
        assert_eq!(category("br_on_cast", "gc"), Category::Control);
        assert_eq!(category("table.size", "reference_types"), Category::Table);
        assert_eq!(
            category("ref.get_desc", "custom_descriptors"),
            Category::Ref
        );
    }
}
