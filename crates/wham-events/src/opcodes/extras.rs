//! Bound data a few instruction families add: branch tables, call
//! targets, funcref resolution, memory.grow failure, GC type ids, and the
//! event-scoped functions (`alt_call_by_*`, `resolve_funcref`, `dup_at`).

use crate::ValueKind::{Dynamic, Static};
use crate::{BoundFn, BoundVar, Imm, Ty};

/// Vars specific to a few instruction families.
pub(crate) fn extra_vars(name: &str, imms: &[Imm], out: &mut Vec<BoundVar>) {
    match name {
        "br_table" => out.extend([
            BoundVar::new(
                "targets",
                Ty::Map(Box::new(Ty::U32), Box::new(Ty::U32)),
                Static,
                "the non-default targets: table index -> label depth",
            ),
            BoundVar::new(
                "default_target",
                Ty::U32,
                Static,
                "label depth of the default target",
            ),
            BoundVar::new(
                "num_targets",
                Ty::U32,
                Static,
                "number of non-default targets",
            ),
            BoundVar::new(
                "target",
                Ty::U32,
                Dynamic,
                "the table entry taken: arg0 when in range, else num_targets (the default)",
            )
            .derived("arg0 < num_targets ? arg0 : num_targets"),
        ]),
        "call" | "return_call" => out.extend([
            BoundVar::new(
                "target_fn_type",
                Ty::Str,
                Static,
                "\"import\" or \"local\": where the callee is defined",
            ),
            BoundVar::new(
                "target_imp_module",
                Ty::Str,
                Static,
                "module name of an imported callee (\"\" for local ones)",
            ),
            BoundVar::new(
                "target_fn_name",
                Ty::Str,
                Static,
                "the callee's name: import name, or name-section name",
            ),
        ]),
        "call_indirect" | "return_call_indirect" | "table.get" => {
            let table = if name == "table.get" { "imm0" } else { "imm1" };
            out.extend([
                BoundVar::new(
                    "table_entry_idx",
                    Ty::I32,
                    Dynamic,
                    "the table slot the instruction reads",
                )
                .derived("arg0"),
                BoundVar::new(
                    "target_funcref",
                    Ty::Funcref,
                    Dynamic,
                    "the function reference in that slot",
                )
                .derived(format!("table {table} at table_entry_idx")),
                BoundVar::new(
                    "resolved_fid",
                    Ty::I32,
                    Dynamic,
                    "function index of that reference, -1 when unknown",
                )
                .derived("resolve_funcref(target_funcref, table_entry_idx)"),
            ]);
        }
        "call_ref" | "return_call_ref" | "table.set" => out.push(BoundVar::new(
            "resolved_fid",
            Ty::I32,
            Static,
            "function index of the reference when the previous instruction is ref.func, else -1",
        )),
        "ref.func" => out.push(
            BoundVar::new(
                "resolved_fid",
                Ty::I32,
                Static,
                "index of the referenced function",
            )
            .derived("imm0"),
        ),
        "memory.grow" => out.push(
            BoundVar::new(
                "failed",
                Ty::Bool,
                Dynamic,
                "whether the memory could not grow",
            )
            .derived("res0 == -1")
            .only_in(&["after"]),
        ),
        _ => {}
    }
    let gc = name.starts_with("struct.") || name.starts_with("array.");
    let typed = imms
        .first()
        .is_some_and(|i| i.field.ends_with("type_index") || i.field == "array_type_index_dst");
    if gc && typed {
        out.push(
            BoundVar::new("tid", Ty::U32, Static, "index of the struct or array type")
                .derived("imm0"),
        );
    }
    if gc && imms.get(1).is_some_and(|i| i.field == "field_index") {
        out.push(
            BoundVar::new("field_idx", Ty::U32, Static, "index of the field accessed")
                .derived("imm1"),
        );
    }
}

/// Bound functions of an opcode event.
pub(crate) fn event_fns(name: &str) -> Vec<BoundFn> {
    match name {
        "call" | "return_call" => vec![
            BoundFn::new(
                "alt_call_by_id",
                &[("func_id", Ty::I32)],
                Ty::Unit,
                Dynamic,
                "in an alt probe, call the function with this index instead, with the original operands",
            ),
            BoundFn::new(
                "alt_call_by_name",
                &[("func_name", Ty::Str)],
                Ty::Unit,
                Dynamic,
                "in an alt probe, call the function with this name instead, with the original operands",
            ),
        ],
        "call_indirect" | "return_call_indirect" | "table.get" => vec![BoundFn::new(
            "resolve_funcref",
            &[("f", Ty::Funcref), ("idx", Ty::I32)],
            Ty::I32,
            Dynamic,
            "function index of a reference read from table slot idx, -1 when unknown",
        )],
        "memory.init" | "memory.copy" | "memory.fill" => vec![BoundFn::new(
            "dup_at",
            &[("dst_mem", Ty::U32), ("dst_addr", Ty::U32)],
            Ty::Unit,
            Dynamic,
            "repeat the instruction with its destination redirected to (dst_mem, dst_addr)",
        )],
        _ => Vec::new(),
    }
}
