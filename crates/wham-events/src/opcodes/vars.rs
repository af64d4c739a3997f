//! Bound variables and functions of opcode events: operands (`argN`),
//! results (`resN`), immediates (`immN`), memory-access facts and the
//! per-family extras (branch tables, call targets, GC type ids).

use super::raw::RawOp;
use super::signature::Shape;
use crate::ValueKind::{Dynamic, Static};
use crate::{BoundVar, Imm, MemAccess, Ty, WasmType};

/// The immediates scripts see as `immN`, from the operator's fields.
/// Memory arguments become named vars instead; types scripts cannot hold
/// (block types, heap types, catch tables) are not exposed.
pub(crate) fn imms(raw: &RawOp, name: &str) -> Vec<Imm> {
    let mut out = Vec::new();
    for (field, ty) in raw.fields {
        let script_ty = match *ty {
            "u32" | "u8" => Ty::U32,
            "i32" => Ty::I32,
            "i64" => Ty::I64,
            t if t.contains("Ieee32") => Ty::F32,
            t if t.contains("Ieee64") => Ty::F64,
            t if t.contains("V128") => Ty::V128,
            t if t.contains("BrTable") => {
                out.push(Imm {
                    name: "imm".to_string(),
                    ty: Ty::U32,
                    doc: "label depths of the table's targets in order, then the default (imm0 ... imm(n-1), imm(n))".to_string(),
                    field,
                });
                continue;
            }
            _ => continue,
        };
        out.push(Imm {
            name: format!("imm{}", out.len()),
            ty: script_ty,
            doc: imm_doc(field, name),
            field,
        });
    }
    out
}

fn imm_doc(field: &str, op: &str) -> String {
    let doc = match field {
        "relative_depth" => "label depth of the branch target (0 = innermost)",
        "function_index" if op == "ref.func" => "index of the referenced function",
        "function_index" => "index of the called function (imports first)",
        "type_index" => "index of the function type",
        "table_index" | "table" => "table index",
        "local_index" => "local index (params first)",
        "global_index" => "global index",
        "mem" => "memory index",
        "value" => "the constant",
        "lane" => "lane index",
        "data_index" => "data segment index",
        "elem_index" => "element segment index",
        "dst_mem" => "destination memory index",
        "src_mem" => "source memory index",
        "dst_table" => "destination table index",
        "src_table" => "source table index",
        "tag_index" => "exception tag index",
        "struct_type_index" => "struct type index",
        "array_type_index" | "array_type_index_dst" => "array type index",
        "array_type_index_src" => "source array type index",
        "field_index" => "field index",
        "array_size" => "number of elements",
        "array_data_index" => "data segment index",
        "array_elem_index" => "element segment index",
        "cont_type_index" => "continuation type index",
        "argument_index" => "continuation type index of the argument",
        "result_index" => "continuation type index of the result",
        other => return other.replace('_', " "),
    };
    doc.to_string()
}

/// What the operand `from_top` places below the top means, if special.
fn operand_role(name: &str, mem: Option<MemAccess>, from_top: u32) -> Option<&'static str> {
    if let Some(m) = mem {
        if from_top == m.addr_arg {
            return Some("the address, before adding offset");
        }
        return Some(match (name, from_top) {
            (n, 0) if n.ends_with("notify") => "maximum number of waiters to wake",
            (n, 0) if n.contains(".wait") => "timeout in nanoseconds, negative for none",
            (n, 1) if n.contains(".wait") => "the value expected at the address",
            (n, 0) if n.contains("cmpxchg") => "the replacement value",
            (n, 1) if n.contains("cmpxchg") => "the expected value",
            (n, 0) if n.ends_with("_lane") => "the vector",
            (n, 0) if n.contains(".rmw") => "the operand value",
            _ => "the value to store",
        });
    }
    Some(match (name, from_top) {
        ("if" | "br_if" | "select" | "typed_select", 0) => "the condition",
        ("br_table", 0) => "the index into the branch table",
        ("call_indirect" | "return_call_indirect" | "table.get", 0) => "the table slot index",
        ("memory.grow", 0) => "number of pages to add",
        ("memory.init" | "memory.copy" | "memory.fill", 2) => "destination address",
        ("memory.init", 1) => "offset in the data segment",
        ("memory.copy", 1) => "source address",
        ("memory.fill", 1) => "the byte value",
        ("memory.init" | "memory.copy" | "memory.fill", 0) => "number of bytes",
        _ => return None,
    })
}

fn unsigned(ty: Ty) -> Ty {
    match ty {
        Ty::I32 => Ty::U32,
        Ty::I64 => Ty::U64,
        other => other,
    }
}

/// The script type of an operand: the Wasm type, made unsigned where the
/// instruction reads it as unsigned (addresses, `_u` compares/divisions,
/// `convert_i32_u` sources), as the original does.
fn operand_ty(name: &str, wt: WasmType, is_addr: bool) -> Ty {
    let ty = Ty::from_val_type(wt);
    let (prefix, op) = name.split_once('.').unwrap_or(("", name));
    let scalar_op = super::signature::scalar(prefix).is_some();
    let unsigned_op =
        scalar_op && matches!(op, "lt_u" | "gt_u" | "le_u" | "ge_u" | "div_u" | "rem_u");
    let unsigned_src = scalar_op
        && (op.starts_with("convert_i") || op.starts_with("extend_i"))
        && op.ends_with("_u");
    if is_addr || unsigned_op || unsigned_src || name == "memory.grow" {
        unsigned(ty)
    } else {
        ty
    }
}

/// The fixed top operand of instructions whose other operands vary.
fn known_top(name: &str) -> Option<Ty> {
    match name {
        "if" | "br_if" | "br_table" | "select" | "typed_select" => Some(Ty::U32),
        "call_indirect" | "return_call_indirect" => Some(Ty::I32),
        _ => None,
    }
}

/// "an i32", "a v128".
pub(crate) fn with_article(wt: WasmType) -> String {
    let article = match wt {
        WasmType::I32 | WasmType::I64 | WasmType::F32 | WasmType::F64 => "an",
        _ => "a",
    };
    format!("{article} {wt}")
}

fn arg_doc(name: &str, mem: Option<MemAccess>, from_top: u32, wt: Option<WasmType>) -> String {
    let pos = if from_top == 0 {
        "top of the stack".to_string()
    } else {
        format!("{from_top} below the top")
    };
    match (operand_role(name, mem, from_top), wt) {
        (Some(role), _) => format!("{role} ({pos})"),
        (None, Some(wt)) => format!("operand, {} ({pos})", with_article(wt)),
        (None, None) => format!("operand ({pos})"),
    }
}

fn arg_vars(name: &str, shape: &Shape, mem: Option<MemAccess>, out: &mut Vec<BoundVar>) {
    let Some(operands) = &shape.operands else {
        if let Some(ty) = known_top(name) {
            let doc = arg_doc(name, mem, 0, None);
            out.push(BoundVar::new("arg0", ty, Dynamic, &doc).assignable());
        }
        let doc = "operand N counted from the top of the stack (arg0 = top); its type depends on the site";
        out.push(
            BoundVar::new("arg", Ty::Unknown, Dynamic, doc)
                .family()
                .assignable(),
        );
        return;
    };
    for (from_top, wt) in operands.iter().rev().enumerate() {
        let from_top = from_top as u32;
        let is_addr = mem.is_some_and(|m| m.addr_arg == from_top);
        let doc = arg_doc(name, mem, from_top, Some(*wt));
        let ty = operand_ty(name, *wt, is_addr);
        out.push(BoundVar::new(format!("arg{from_top}"), ty, Dynamic, &doc).assignable());
    }
}

fn res_vars(shape: &Shape, out: &mut Vec<BoundVar>) {
    let Some(results) = &shape.results else {
        let doc = "result N counted from the top of the stack after the instruction; its type depends on the site";
        out.push(
            BoundVar::new("res", Ty::Unknown, Dynamic, doc)
                .family()
                .only_in(&["after"])
                .assignable(),
        );
        return;
    };
    for (from_top, wt) in results.iter().rev().enumerate() {
        let doc = if results.len() == 1 {
            format!("the result, {}", with_article(*wt))
        } else {
            format!(
                "result {from_top} counted from the top, {}",
                with_article(*wt)
            )
        };
        out.push(
            BoundVar::new(
                format!("res{from_top}"),
                Ty::from_val_type(*wt),
                Dynamic,
                &doc,
            )
            .only_in(&["after"])
            .assignable(),
        );
    }
}

fn mem_vars(mem: MemAccess, out: &mut Vec<BoundVar>) {
    out.extend([
        BoundVar::new(
            "offset",
            Ty::U64,
            Static,
            "static offset added to the address",
        ),
        BoundVar::new(
            "align",
            Ty::U32,
            Static,
            "alignment hint as encoded: log2 of the byte alignment",
        ),
        BoundVar::new("memory", Ty::U32, Static, "index of the memory accessed"),
        BoundVar::new("addr", Ty::U32, Dynamic, "the address operand")
            .derived(format!("arg{}", mem.addr_arg)),
        BoundVar::new(
            "effective_addr",
            Ty::U32,
            Dynamic,
            "the address actually accessed",
        )
        .derived("addr + offset"),
        BoundVar::new("data_size", Ty::U32, Static, "number of bytes accessed"),
        BoundVar::new(
            "is_write",
            Ty::Bool,
            Static,
            "whether the instruction writes memory",
        ),
    ]);
}

/// All bound variables of an opcode event.
pub(crate) fn event_vars(
    name: &str,
    shape: &Shape,
    imms: &[Imm],
    mem: Option<MemAccess>,
    has_after: bool,
) -> Vec<BoundVar> {
    let mut out = Vec::new();
    arg_vars(name, shape, mem, &mut out);
    if has_after {
        res_vars(shape, &mut out);
    }
    for imm in imms {
        let var = BoundVar::new(imm.name.clone(), imm.ty.clone(), Static, &imm.doc);
        out.push(if imm.name == "imm" { var.family() } else { var });
    }
    if let Some(mem) = mem {
        mem_vars(mem, &mut out);
    }
    super::extras::extra_vars(name, imms, &mut out);
    out
}
