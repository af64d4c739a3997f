//! The original's core library (`use whamm_core;`), built in: its printing
//! functions and map printers, generated into the output so scripts that
//! print their own report (`wasm:report { whamm_core.print_map_as_csv(0); }`)
//! work unchanged without a separate library module.

use crate::eval::eval;
use crate::lower::{Lowerer, R, Unsupported};
use crate::map_report::build_printer;
use wasm_encoder::{BlockType, Instruction as I, MemArg, ValType};
use wham_events::Ty;
use wham_lang::check::hir::{TExpr, Value};
use wham_lang::span::Span;

/// The functions provided.
pub const FUNCTIONS: &[&str] = &[
    "putc",
    "puts",
    "putu8",
    "puti8",
    "putu16",
    "puti16",
    "putu32",
    "puti32",
    "putu64",
    "puti64",
    "putbool",
    "putf32",
    "putf64",
    "print_map",
    "print_map_as_csv",
    "mem_alloc",
    "mem_free",
];

pub fn provides(func: &str) -> bool {
    FUNCTIONS.contains(&func)
}

fn fail<T>(what: String, span: Span) -> R<T> {
    Err(Unsupported { what, span })
}

/// Generate a call of `whamm_core.func(args)`; its results (only
/// `mem_alloc` has one).
pub fn call(lw: &mut Lowerer<'_>, func: &str, args: &[TExpr], span: Span) -> R<Vec<ValType>> {
    let Some(rt) = lw.state.printing else {
        return fail(
            format!("`whamm_core.{func}` here (no output runtime)"),
            span,
        );
    };
    let given: Vec<ValType> = args
        .iter()
        .flat_map(|a| crate::repr::val_types(&a.ty))
        .collect();
    let want: &[ValType] = match func {
        "puts" => &[ValType::I32, ValType::I32],
        "putu64" | "puti64" => &[ValType::I64],
        "putf32" => &[ValType::F32],
        "putf64" => &[ValType::F64],
        _ => &[ValType::I32],
    };
    if given != want {
        return fail(
            format!("calling `whamm_core.{func}` with {given:?}: it takes {want:?} (add casts)"),
            span,
        );
    }
    let im = lw.add.instr_mem();
    match func {
        "print_map" | "print_map_as_csv" => {
            let csv = func == "print_map_as_csv";
            let Some(Value::Int(id)) = eval(&args[0], lw.site) else {
                return fail(
                    format!("`whamm_core.{func}` of a map id only known at run time"),
                    span,
                );
            };
            let Some((header, ty)) = lw.state.maps_by_id.get(id as usize).cloned() else {
                return fail(
                    format!(
                        "`whamm_core.{func}({id})`: the script declares {} global map(s)",
                        lw.state.maps_by_id.len()
                    ),
                    span,
                );
            };
            let Ty::Map(k, v) = &ty else {
                return fail("a map id that is not a map".into(), span);
            };
            let printer = build_printer(lw.add, &rt, k, v, span, csv)?;
            if csv {
                let kname = crate::repr::report_wasm_name(k).replace("; ", ",");
                let vname = crate::repr::report_wasm_name(v).replace("; ", ",");
                let head = format!("== map{id} CSV FLUSH ==\nkey ({kname}), val ({vname})\n");
                let (a, l) = lw.add.string(head.as_bytes());
                lw.emit(I::I32Const(a as i32));
                lw.emit(I::I32Const(l as i32));
                lw.emit(I::Call(rt.put_bytes));
            }
            lw.emit(I::I32Const(header as i32));
            lw.emit(I::Call(printer));
            let (nl, _) = lw.add.string(b"\n");
            lw.emit(I::I32Const(nl as i32));
            lw.emit(I::I32Const(1));
            lw.emit(I::Call(rt.put_bytes));
        }
        _ => {
            for a in args {
                lw.expr(a)?;
            }
            match func {
                "puts" => lw.emit(I::Call(rt.put_bytes)),
                "putc" => {
                    let slot = lw.add.alloc(1, 1);
                    let t = lw.alloc.get(ValType::I32);
                    lw.emit(I::LocalSet(t));
                    lw.emit(I::I32Const(slot as i32));
                    lw.emit(I::LocalGet(t));
                    lw.emit(I::I32Store8(MemArg {
                        offset: 0,
                        align: 0,
                        memory_index: im,
                    }));
                    lw.emit(I::I32Const(slot as i32));
                    lw.emit(I::I32Const(1));
                    lw.emit(I::Call(rt.put_bytes));
                }
                "putu8" | "putu16" | "putu32" => {
                    lw.emit(I::I64ExtendI32U);
                    lw.emit(I::Call(rt.put_u64));
                }
                "puti8" | "puti16" | "puti32" => {
                    lw.emit(I::I64ExtendI32S);
                    lw.emit(I::Call(rt.put_i64));
                }
                // Memory of whamm_core (`memid(whamm_core)`): the
                // instrumentation memory's heap, which only grows.
                "mem_alloc" => {
                    let heap = crate::maps::MapRuntime::get(lw.add);
                    lw.emit(I::Call(heap.alloc));
                    return Ok(vec![ValType::I32]);
                }
                "mem_free" => lw.emit(I::Drop),
                "putf32" => {
                    let put = crate::float_text::printers(lw.add, &rt).put_f32;
                    lw.emit(I::Call(put));
                }
                "putf64" => {
                    let put = crate::float_text::printers(lw.add, &rt).put_f64;
                    lw.emit(I::Call(put));
                }
                "putu64" => lw.emit(I::Call(rt.put_u64)),
                "puti64" => lw.emit(I::Call(rt.put_i64)),
                "putbool" => {
                    let (t, _) = lw.add.string(b"true");
                    let (f, _) = lw.add.string(b"false");
                    lw.emit(I::If(BlockType::Empty));
                    lw.emit(I::I32Const(t as i32));
                    lw.emit(I::I32Const(4));
                    lw.emit(I::Call(rt.put_bytes));
                    lw.emit(I::Else);
                    lw.emit(I::I32Const(f as i32));
                    lw.emit(I::I32Const(5));
                    lw.emit(I::Call(rt.put_bytes));
                    lw.emit(I::End);
                }
                other => return fail(format!("`whamm_core.{other}`"), span),
            }
        }
    }
    Ok(Vec::new())
}
