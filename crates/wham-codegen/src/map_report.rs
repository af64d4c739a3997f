//! Printing a map in the report: entries sorted by key, `k->v;k->v`,
//! tuple keys as `(a,b)`, and `empty map` when there are none. One printer
//! (with its key comparator and sort) is generated per map type.

use crate::lower::{R, Unsupported};
use crate::maps::{MapRuntime, Part, key_parts, leaf_types};
use crate::module::{Additions, Body};
use crate::repr::at as m;
use crate::repr::{self, val_types};
use crate::runtime::Runtime;
use wasm_encoder::{BlockType, Instruction as I, ValType};
use wham_events::Ty;
use wham_lang::span::Span;

fn loc(i: u32) -> I<'static> {
    I::LocalGet(i)
}

/// `(map) -> ()`: print the map's entries.
/// With `csv`, one `key, value` line per entry instead (for
/// `whamm_core.print_map_as_csv`).
pub fn build_printer(
    add: &mut Additions,
    rt: &Runtime,
    key: &Ty,
    val: &Ty,
    span: Span,
    csv: bool,
) -> R<u32> {
    let cache_key = (Ty::Map(Box::new(key.clone()), Box::new(val.clone())), csv);
    if let Some(f) = add.map_printers.get(&cache_key) {
        return Ok(*f);
    }
    let mrt = MapRuntime::get(add);
    let im = add.instr_mem();
    let cmp = build_cmp(add, key, span)?;
    let sort = build_sort(add, cmp);
    let f = add.reserve_func(
        &format!("wham_print_map<{key},{val}>"),
        &[ValType::I32],
        &[],
    );
    let (map, cnt, arr, i, k, e, slots, p) = (0, 1, 2, 3, 4, 5, 6, 7);
    let (empty_a, empty_l) = add.string(b"empty map");
    let (semi, semi_len) = add.string(if csv { b"\n" } else { b";" });
    let (arrow, arrow_len) = add.string(if csv { b", " } else { b"->" });
    let mut c = vec![
        loc(map),
        I::I32Load(m(im, 8, 2)),
        I::LocalTee(cnt),
        I::I32Eqz,
        I::If(BlockType::Empty),
        I::I32Const(empty_a as i32),
        I::I32Const(empty_l as i32),
        I::Call(rt.put_bytes),
        I::Return,
        I::End,
        // two arrays of entry pointers, freed again at the end
        I::GlobalGet(mrt.heap_top),
        I::LocalSet(p),
        loc(cnt),
        I::I32Const(2),
        I::I32Shl,
        I::Call(mrt.alloc),
        I::LocalSet(arr),
        loc(cnt),
        I::I32Const(2),
        I::I32Shl,
        I::Call(mrt.alloc),
        I::LocalSet(k),
        loc(map),
        I::I32Load(m(im, 0, 2)),
        I::LocalSet(slots),
        I::I32Const(0),
        I::LocalSet(i),
        I::I32Const(0),
        I::LocalSet(e),
        // collect: arr[e++] = slots[i] for non-empty slots
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        loc(i),
        loc(map),
        I::I32Load(m(im, 4, 2)),
        I::I32GeU,
        I::BrIf(1),
        loc(slots),
        loc(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::If(BlockType::Empty),
        loc(arr),
        loc(e),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        loc(slots),
        loc(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::I32Store(m(im, 0, 2)),
        loc(e),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(e),
        I::End,
        loc(i),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::End,
        loc(arr),
        loc(k),
        loc(cnt),
        I::Call(sort),
        I::LocalSet(arr),
        I::I32Const(0),
        I::LocalSet(i),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        loc(i),
        loc(cnt),
        I::I32GeU,
        I::BrIf(1),
        loc(i),
        I::If(BlockType::Empty),
        I::I32Const(semi as i32),
        I::I32Const(semi_len as i32),
        I::Call(rt.put_bytes),
        I::End,
        loc(arr),
        loc(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::LocalSet(e),
    ];
    // key at e + 8
    let mut body = Body {
        locals: vec![ValType::I32; 8],
        code: Vec::new(),
    };
    let cur = 8; // a local: the read position
    body.locals.push(ValType::I32);
    c.extend([loc(e), I::I32Const(8), I::I32Add, I::LocalSet(cur)]);
    print_key(add, rt, im, key, cur, &mut c, span)?;
    c.extend([
        I::I32Const(arrow as i32),
        I::I32Const(arrow_len as i32),
        I::Call(rt.put_bytes),
    ]);
    // value at e + align8(8 + key_len)
    c.extend([
        loc(e),
        loc(e),
        I::I32Load(m(im, 4, 2)),
        I::I32Const(15),
        I::I32Add,
        I::I32Const(-8),
        I::I32And,
        I::I32Add,
        I::LocalSet(cur),
    ]);
    print_value(add, rt, im, val, cur, &mut c, span)?;
    c.extend([
        loc(i),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::End,
        loc(p),
        I::GlobalSet(mrt.heap_top),
    ]);
    body.code = c;
    add.define(f, body.finish());
    add.map_printers.insert(cache_key, f);
    Ok(f)
}

/// Print one scalar at address `local` (in layout `vt`), advancing nothing.
fn print_leaf(
    add: &mut Additions,
    rt: &Runtime,
    im: u32,
    ty: &Ty,
    at: u32,
    c: &mut Vec<I<'static>>,
    span: Span,
) -> R {
    match ty {
        Ty::U8 | Ty::U16 | Ty::U32 => c.extend([
            loc(at),
            I::I32Load(m(im, 0, 2)),
            I::I64ExtendI32U,
            I::Call(rt.put_u64),
        ]),
        Ty::I8 | Ty::I16 | Ty::I32 => c.extend([
            loc(at),
            I::I32Load(m(im, 0, 2)),
            I::I64ExtendI32S,
            I::Call(rt.put_i64),
        ]),
        Ty::U64 => c.extend([loc(at), I::I64Load(m(im, 0, 3)), I::Call(rt.put_u64)]),
        Ty::I64 => c.extend([loc(at), I::I64Load(m(im, 0, 3)), I::Call(rt.put_i64)]),
        Ty::F32 => {
            let put = crate::float_text::printers(add, rt).put_f32;
            c.extend([loc(at), I::F32Load(m(im, 0, 2)), I::Call(put)]);
        }
        Ty::F64 => {
            let put = crate::float_text::printers(add, rt).put_f64;
            c.extend([loc(at), I::F64Load(m(im, 0, 3)), I::Call(put)]);
        }
        Ty::Bool => {
            let (t, _) = add.string(b"true");
            let (f, _) = add.string(b"false");
            c.extend([
                loc(at),
                I::I32Load(m(im, 0, 2)),
                I::If(BlockType::Empty),
                I::I32Const(t as i32),
                I::I32Const(4),
                I::Call(rt.put_bytes),
                I::Else,
                I::I32Const(f as i32),
                I::I32Const(5),
                I::Call(rt.put_bytes),
                I::End,
            ]);
        }
        other => {
            return Err(Unsupported {
                what: format!("printing {other} values in a map"),
                span,
            });
        }
    }
    Ok(())
}

fn print_key(
    add: &mut Additions,
    rt: &Runtime,
    im: u32,
    key: &Ty,
    cur: u32,
    c: &mut Vec<I<'static>>,
    span: Span,
) -> R {
    let leaves = leaf_types(key);
    let tuple = matches!(key, Ty::Tuple(_));
    let (open, _) = add.string(b"(");
    let (close, _) = add.string(b")");
    let (comma, _) = add.string(b",");
    if tuple {
        c.extend([
            I::I32Const(open as i32),
            I::I32Const(1),
            I::Call(rt.put_bytes),
        ]);
    }
    for (n, (leaf, part)) in leaves.iter().zip(key_parts(key)).enumerate() {
        if n > 0 {
            c.extend([
                I::I32Const(comma as i32),
                I::I32Const(1),
                I::Call(rt.put_bytes),
            ]);
        }
        match part {
            Part::Str => {
                // [len][bytes]
                c.extend([
                    loc(cur),
                    I::I32Const(4),
                    I::I32Add,
                    loc(cur),
                    I::I32Load(m(im, 0, 2)),
                    I::Call(rt.put_bytes),
                    loc(cur),
                    loc(cur),
                    I::I32Load(m(im, 0, 2)),
                    I::I32Const(4),
                    I::I32Add,
                    I::I32Add,
                    I::LocalSet(cur),
                ]);
            }
            Part::Val(vt) => {
                print_leaf(add, rt, im, leaf, cur, c, span)?;
                c.extend([
                    loc(cur),
                    I::I32Const(repr::val_size(vt) as i32),
                    I::I32Add,
                    I::LocalSet(cur),
                ]);
            }
        }
    }
    if tuple {
        c.extend([
            I::I32Const(close as i32),
            I::I32Const(1),
            I::Call(rt.put_bytes),
        ]);
    }
    Ok(())
}

fn print_value(
    add: &mut Additions,
    rt: &Runtime,
    im: u32,
    val: &Ty,
    cur: u32,
    c: &mut Vec<I<'static>>,
    span: Span,
) -> R {
    let leaves = leaf_types(val);
    let tuple = matches!(val, Ty::Tuple(_));
    let (open, _) = add.string(b"(");
    let (close, _) = add.string(b")");
    let (sep, _) = add.string(b"; ");
    if tuple {
        c.extend([
            I::I32Const(open as i32),
            I::I32Const(1),
            I::Call(rt.put_bytes),
        ]);
    }
    for (n, leaf) in leaves.iter().enumerate() {
        if n > 0 {
            c.extend([
                I::I32Const(sep as i32),
                I::I32Const(2),
                I::Call(rt.put_bytes),
            ]);
        }
        if *leaf == Ty::Str {
            // [addr][len]
            c.extend([
                loc(cur),
                I::I32Load(m(im, 0, 2)),
                loc(cur),
                I::I32Load(m(im, 4, 2)),
                I::Call(rt.put_bytes),
                loc(cur),
                I::I32Const(8),
                I::I32Add,
                I::LocalSet(cur),
            ]);
        } else {
            print_leaf(add, rt, im, leaf, cur, c, span)?;
            let size: u32 = val_types(leaf).into_iter().map(repr::val_size).sum();
            c.extend([
                loc(cur),
                I::I32Const(size as i32),
                I::I32Add,
                I::LocalSet(cur),
            ]);
        }
    }
    if tuple {
        c.extend([
            I::I32Const(close as i32),
            I::I32Const(1),
            I::Call(rt.put_bytes),
        ]);
    }
    Ok(())
}

/// `(a_entry, b_entry) -> -1 | 0 | 1` comparing keys in key order.
fn build_cmp(add: &mut Additions, key: &Ty, span: Span) -> R<u32> {
    let im = add.instr_mem();
    let f = add.reserve_func(
        &format!("wham_cmp<{key}>"),
        &[ValType::I32, ValType::I32],
        &[ValType::I32],
    );
    let (pa, pb, la, lb, j) = (0, 1, 2, 3, 4);
    let mut locals = vec![ValType::I32; 3];
    let mut c = vec![
        loc(pa),
        I::I32Const(8),
        I::I32Add,
        I::LocalSet(pa),
        loc(pb),
        I::I32Const(8),
        I::I32Add,
        I::LocalSet(pb),
    ];
    for (leaf, part) in leaf_types(key).iter().zip(key_parts(key)) {
        match part {
            Part::Str => {
                c.extend([
                    loc(pa),
                    I::I32Load(m(im, 0, 2)),
                    I::LocalSet(la),
                    loc(pb),
                    I::I32Load(m(im, 0, 2)),
                    I::LocalSet(lb),
                    I::I32Const(0),
                    I::LocalSet(j),
                    I::Block(BlockType::Empty),
                    I::Loop(BlockType::Empty),
                    loc(j),
                    loc(la),
                    I::I32GeU,
                    loc(j),
                    loc(lb),
                    I::I32GeU,
                    I::I32Or,
                    I::BrIf(1),
                    loc(pa),
                    loc(j),
                    I::I32Add,
                    I::I32Load8U(m(im, 4, 0)),
                    loc(pb),
                    loc(j),
                    I::I32Add,
                    I::I32Load8U(m(im, 4, 0)),
                    I::I32Sub,
                    I::LocalTee(5),
                    I::If(BlockType::Empty),
                    I::I32Const(-1),
                    I::I32Const(1),
                    loc(5),
                    I::I32Const(0),
                    I::I32LtS,
                    I::Select,
                    I::Return,
                    I::End,
                    loc(j),
                    I::I32Const(1),
                    I::I32Add,
                    I::LocalSet(j),
                    I::Br(0),
                    I::End,
                    I::End,
                    loc(la),
                    loc(lb),
                    I::I32Ne,
                    I::If(BlockType::Empty),
                    I::I32Const(-1),
                    I::I32Const(1),
                    loc(la),
                    loc(lb),
                    I::I32LtU,
                    I::Select,
                    I::Return,
                    I::End,
                    loc(pa),
                    loc(la),
                    I::I32Const(4),
                    I::I32Add,
                    I::I32Add,
                    I::LocalSet(pa),
                    loc(pb),
                    loc(lb),
                    I::I32Const(4),
                    I::I32Add,
                    I::I32Add,
                    I::LocalSet(pb),
                ]);
            }
            Part::Val(vt) => {
                let (load, lt, gt) = match (vt, leaf) {
                    (ValType::I64, t) if t.is_signed() => {
                        (I::I64Load(m(im, 0, 3)), I::I64LtS, I::I64GtS)
                    }
                    (ValType::I64, _) => (I::I64Load(m(im, 0, 3)), I::I64LtU, I::I64GtU),
                    (ValType::F32, _) => (I::F32Load(m(im, 0, 2)), I::F32Lt, I::F32Gt),
                    (ValType::F64, _) => (I::F64Load(m(im, 0, 3)), I::F64Lt, I::F64Gt),
                    (ValType::I32, t) if t.is_signed() => {
                        (I::I32Load(m(im, 0, 2)), I::I32LtS, I::I32GtS)
                    }
                    (ValType::I32, _) => (I::I32Load(m(im, 0, 2)), I::I32LtU, I::I32GtU),
                    _ => {
                        return Err(Unsupported {
                            what: format!("maps keyed by {leaf}"),
                            span,
                        });
                    }
                };
                c.extend([
                    loc(pa),
                    load.clone(),
                    loc(pb),
                    load.clone(),
                    lt,
                    I::If(BlockType::Empty),
                    I::I32Const(-1),
                    I::Return,
                    I::End,
                    loc(pa),
                    load.clone(),
                    loc(pb),
                    load,
                    gt,
                    I::If(BlockType::Empty),
                    I::I32Const(1),
                    I::Return,
                    I::End,
                    loc(pa),
                    I::I32Const(repr::val_size(vt) as i32),
                    I::I32Add,
                    I::LocalSet(pa),
                    loc(pb),
                    I::I32Const(repr::val_size(vt) as i32),
                    I::I32Add,
                    I::LocalSet(pb),
                ]);
            }
        }
    }
    locals.push(ValType::I32);
    c.push(I::I32Const(0));
    add.define(f, Body { locals, code: c }.finish());
    Ok(f)
}

/// `(arr, tmp, n) -> sorted`: bottom-up merge sort of entry pointers;
/// returns whichever of the two arrays holds the result.
fn build_sort(add: &mut Additions, cmp: u32) -> u32 {
    let im = add.instr_mem();
    let i32t = ValType::I32;
    let f = add.reserve_func("wham_sort", &[i32t, i32t, i32t], &[i32t]);
    let (arr, tmp, n) = (0, 1, 2);
    let (width, i, lo, mid, hi, a, b, k, t) = (3, 4, 5, 6, 7, 8, 9, 10, 11);
    let at = |base: u32, idx: u32| vec![loc(base), loc(idx), I::I32Const(2), I::I32Shl, I::I32Add];
    let min = |x: Vec<I<'static>>, lim: u32, dst: u32| {
        let mut v = x.clone();
        v.extend([loc(lim)]);
        v.extend(x);
        v.extend([loc(lim), I::I32LtU, I::Select, I::LocalSet(dst)]);
        v
    };
    let mut c = vec![
        I::I32Const(1),
        I::LocalSet(width),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
    ];
    c.extend([
        loc(width),
        loc(n),
        I::I32GeU,
        I::BrIf(1),
        I::I32Const(0),
        I::LocalSet(i),
    ]);
    c.extend([
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        loc(i),
        loc(n),
        I::I32GeU,
        I::BrIf(1),
    ]);
    c.extend([loc(i), I::LocalSet(lo)]);
    c.extend(min(vec![loc(i), loc(width), I::I32Add], n, mid));
    c.extend(min(
        vec![loc(i), loc(width), I::I32Const(1), I::I32Shl, I::I32Add],
        n,
        hi,
    ));
    c.extend([
        loc(lo),
        I::LocalSet(a),
        loc(mid),
        I::LocalSet(b),
        loc(lo),
        I::LocalSet(k),
    ]);
    c.extend([
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        loc(k),
        loc(hi),
        I::I32GeU,
        I::BrIf(1),
    ]);
    // take from a when a < mid and (b >= hi or cmp(arr[a], arr[b]) <= 0)
    c.extend([loc(a), loc(mid), I::I32LtU, I::If(BlockType::Result(i32t))]);
    c.extend([
        loc(b),
        loc(hi),
        I::I32GeU,
        I::If(BlockType::Result(i32t)),
        I::I32Const(1),
        I::Else,
    ]);
    c.extend(at(arr, a));
    c.push(I::I32Load(m(im, 0, 2)));
    c.extend(at(arr, b));
    c.extend([
        I::I32Load(m(im, 0, 2)),
        I::Call(cmp),
        I::I32Const(0),
        I::I32LeS,
        I::End,
    ]);
    c.extend([I::Else, I::I32Const(0), I::End]);
    c.push(I::If(BlockType::Empty));
    c.extend(at(tmp, k));
    c.extend(at(arr, a));
    c.extend([I::I32Load(m(im, 0, 2)), I::I32Store(m(im, 0, 2))]);
    c.extend([loc(a), I::I32Const(1), I::I32Add, I::LocalSet(a), I::Else]);
    c.extend(at(tmp, k));
    c.extend(at(arr, b));
    c.extend([I::I32Load(m(im, 0, 2)), I::I32Store(m(im, 0, 2))]);
    c.extend([loc(b), I::I32Const(1), I::I32Add, I::LocalSet(b), I::End]);
    c.extend([
        loc(k),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(k),
        I::Br(0),
        I::End,
        I::End,
    ]);
    c.extend([
        loc(i),
        loc(width),
        I::I32Const(1),
        I::I32Shl,
        I::I32Add,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::End,
    ]);
    // swap arrays, double the width
    c.extend([
        loc(arr),
        I::LocalSet(t),
        loc(tmp),
        I::LocalSet(arr),
        loc(t),
        I::LocalSet(tmp),
    ]);
    c.extend([
        loc(width),
        I::I32Const(1),
        I::I32Shl,
        I::LocalSet(width),
        I::Br(0),
        I::End,
        I::End,
        loc(arr),
    ]);
    add.define(
        f,
        Body {
            locals: vec![i32t; 9],
            code: c,
        }
        .finish(),
    );
    f
}

/// `(addr) -> ()`: print a tuple stored at `addr` the way the report
/// prints tuples: `(a; b; (c; d))`.
pub fn build_tuple_printer(add: &mut Additions, rt: &Runtime, ty: &Ty, span: Span) -> R<u32> {
    let cache_key = (ty.clone(), false);
    if let Some(f) = add.map_printers.get(&cache_key) {
        return Ok(*f);
    }
    let im = add.instr_mem();
    let f = add.reserve_func(&format!("wham_print_tuple<{ty}>"), &[ValType::I32], &[]);
    let cur = 0;
    let mut c = Vec::new();
    print_nested(add, rt, im, ty, cur, &mut c, span)?;
    add.define(
        f,
        Body {
            locals: vec![],
            code: c,
        }
        .finish(),
    );
    add.map_printers.insert(cache_key, f);
    Ok(f)
}

fn print_nested(
    add: &mut Additions,
    rt: &Runtime,
    im: u32,
    ty: &Ty,
    cur: u32,
    c: &mut Vec<I<'static>>,
    span: Span,
) -> R {
    match ty {
        Ty::Tuple(items) => {
            let (open, _) = add.string(b"(");
            let (close, _) = add.string(b")");
            let (sep, _) = add.string(b"; ");
            c.extend([
                I::I32Const(open as i32),
                I::I32Const(1),
                I::Call(rt.put_bytes),
            ]);
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    c.extend([
                        I::I32Const(sep as i32),
                        I::I32Const(2),
                        I::Call(rt.put_bytes),
                    ]);
                }
                print_nested(add, rt, im, item, cur, c, span)?;
            }
            c.extend([
                I::I32Const(close as i32),
                I::I32Const(1),
                I::Call(rt.put_bytes),
            ]);
        }
        Ty::Str => {
            c.extend([
                loc(cur),
                I::I32Load(m(im, 0, 2)),
                loc(cur),
                I::I32Load(m(im, 4, 2)),
                I::Call(rt.put_bytes),
                loc(cur),
                I::I32Const(8),
                I::I32Add,
                I::LocalSet(cur),
            ]);
        }
        leaf => {
            print_leaf(add, rt, im, leaf, cur, c, span)?;
            let size: u32 = val_types(leaf).into_iter().map(repr::val_size).sum();
            c.extend([
                loc(cur),
                I::I32Const(size as i32),
                I::I32Add,
                I::LocalSet(cur),
            ]);
        }
    }
    Ok(())
}
