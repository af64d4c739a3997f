//! WAT mnemonics derived from wasmparser's visitor names.
//!
//! `visit_i64_atomic_rmw32_cmpxchg_u` becomes `i64.atomic.rmw32.cmpxchg_u`:
//! the first `_` after a known type/space prefix is a dot, as is the `_`
//! after `atomic` and after `rmw<bits>`. A few names the rule cannot know
//! are overridden.

/// Prefixes whose first `_` separates the WAT "namespace" from the op.
const PREFIXES: &[&str] = &[
    "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
    "memory", "table", "local", "global", "ref", "struct", "array", "data", "elem", "i31", "any",
    "extern", "atomic", "cont",
];

/// Visitor base names (without `visit_`) whose mnemonic is not derivable.
/// The GC casts follow the names the original whamm used.
const OVERRIDES: &[(&str, &str)] = &[
    ("typed_select", "typed_select"),
    ("typed_select_multi", "typed_select_multi"),
    ("ref_test_non_null", "ref.test"),
    ("ref_test_nullable", "ref.test_null"),
    ("ref_cast_non_null", "ref.cast"),
    ("ref_cast_nullable", "ref.cast_null"),
    ("ref_cast_desc_eq_non_null", "ref.cast_desc_eq"),
    ("ref_cast_desc_eq_nullable", "ref.cast_desc_eq_null"),
];

/// The WAT mnemonic (event name) for a wasmparser visitor method name.
pub(crate) fn mnemonic(visit: &str) -> String {
    let base = visit.strip_prefix("visit_").unwrap_or(visit);
    if let Some((_, name)) = OVERRIDES.iter().find(|(v, _)| *v == base) {
        return (*name).to_string();
    }
    let mut name = match base.split_once('_') {
        Some((prefix, rest)) if PREFIXES.contains(&prefix) => format!("{prefix}.{rest}"),
        _ => base.to_string(),
    };
    if let Some(dot) = name.find('.') {
        let (head, tail) = name.split_at(dot + 1);
        if let Some(rest) = tail.strip_prefix("atomic_") {
            name = format!("{head}atomic.{rest}");
        }
    }
    dot_after_rmw(&name)
}

/// `rmw16_add_u` → `rmw16.add_u`, `rmw_add` → `rmw.add`.
fn dot_after_rmw(name: &str) -> String {
    let Some(at) = name.find(".rmw") else {
        return name.to_string();
    };
    let after = at + ".rmw".len();
    let digits = name[after..].bytes().take_while(u8::is_ascii_digit).count();
    let sep = after + digits;
    if name[sep..].starts_with('_') {
        format!("{}.{}", &name[..sep], &name[sep + 1..])
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::mnemonic;

    #[test]
    fn derives_wat_names() {
        for (visit, want) in [
            ("visit_i32_load8_s", "i32.load8_s"),
            (
                "visit_i64_atomic_rmw32_cmpxchg_u",
                "i64.atomic.rmw32.cmpxchg_u",
            ),
            ("visit_i32_atomic_rmw_add", "i32.atomic.rmw.add"),
            ("visit_memory_atomic_wait32", "memory.atomic.wait32"),
            ("visit_atomic_fence", "atomic.fence"),
            ("visit_i32x4_extract_lane", "i32x4.extract_lane"),
            ("visit_v128_load8x8_s", "v128.load8x8_s"),
            ("visit_br_if", "br_if"),
            ("visit_call_indirect", "call_indirect"),
            ("visit_return_call_indirect", "return_call_indirect"),
            ("visit_try_table", "try_table"),
            ("visit_ref_as_non_null", "ref.as_non_null"),
            ("visit_struct_new_default", "struct.new_default"),
            ("visit_i32_trunc_sat_f32_s", "i32.trunc_sat_f32_s"),
            ("visit_global_atomic_rmw_add", "global.atomic.rmw.add"),
            ("visit_ref_test_nullable", "ref.test_null"),
            ("visit_typed_select", "typed_select"),
            ("visit_unreachable", "unreachable"),
        ] {
            assert_eq!(mnemonic(visit), want, "{visit}");
        }
    }
}
