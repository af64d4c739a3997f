//! String operations on strings only known at run time: comparing and
//! searching bytes, possibly across memories (a script string against bytes
//! in the app's memory), generated once per memory pair.

use crate::module::{Additions, Body};
use crate::repr::at;
use wasm_encoder::{BlockType, Instruction as I, ValType};

/// `(pa, la, pb, lb) -> i32`: whether the bytes at `pa` (memory `ma`) equal
/// those at `pb` (memory `mb`).
pub fn equal(add: &mut Additions, ma: u32, mb: u32) -> u32 {
    let key = ("eq".to_string(), ma, mb);
    if let Some(f) = add.string_funcs.get(&key) {
        return *f;
    }
    let i = ValType::I32;
    let f = add.reserve_func(&format!("wham_str_eq_{ma}_{mb}"), &[i, i, i, i], &[i]);
    add.string_funcs.insert(key, f);
    let (pa, la, pb, lb, k) = (0, 1, 2, 3, 4);
    let code = vec![
        I::LocalGet(la),
        I::LocalGet(lb),
        I::I32Ne,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::Return,
        I::End,
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(k),
        I::LocalGet(la),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(pa),
        I::LocalGet(k),
        I::I32Add,
        I::I32Load8U(at(ma, 0, 0)),
        I::LocalGet(pb),
        I::LocalGet(k),
        I::I32Add,
        I::I32Load8U(at(mb, 0, 0)),
        I::I32Ne,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::Return,
        I::End,
        I::LocalGet(k),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(k),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(1),
    ];
    add.define(
        f,
        Body {
            locals: vec![i],
            code,
        }
        .finish(),
    );
    f
}

/// `(pa, la, pb, lb) -> i32`: whether the bytes at `pb` (memory `mb`) occur
/// in those at `pa` (memory `ma`).
pub fn contains(add: &mut Additions, ma: u32, mb: u32) -> u32 {
    let key = ("contains".to_string(), ma, mb);
    if let Some(f) = add.string_funcs.get(&key) {
        return *f;
    }
    let eq = equal(add, ma, mb);
    let i = ValType::I32;
    let f = add.reserve_func(&format!("wham_str_contains_{ma}_{mb}"), &[i, i, i, i], &[i]);
    add.string_funcs.insert(key, f);
    let (pa, la, pb, lb, k) = (0, 1, 2, 3, 4);
    let code = vec![
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        // k + lb > la: no room left
        I::LocalGet(k),
        I::LocalGet(lb),
        I::I32Add,
        I::LocalGet(la),
        I::I32GtU,
        I::BrIf(1),
        I::LocalGet(pa),
        I::LocalGet(k),
        I::I32Add,
        I::LocalGet(lb),
        I::LocalGet(pb),
        I::LocalGet(lb),
        I::Call(eq),
        I::If(BlockType::Empty),
        I::I32Const(1),
        I::Return,
        I::End,
        I::LocalGet(k),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(k),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(0),
    ];
    add.define(
        f,
        Body {
            locals: vec![i],
            code,
        }
        .finish(),
    );
    f
}
