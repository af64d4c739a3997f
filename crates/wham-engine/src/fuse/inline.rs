//! Inlining small monitor functions at the app's call sites, in Wasm,
//! before wasmtime compiles the fused module: a probe body becomes part
//! of the app function that fires it, so Cranelift optimises the two
//! together (constants folded, no call, no spills).
//!
//! At a site, the arguments on the stack go into scratch locals of the
//! caller (the callee's parameters), the callee's own locals are zeroed
//! (a Wasm local starts at zero on every call), and the body runs inside
//! a block that stands for the function: `return` becomes a branch out
//! of it.

use super::remap::Side;
use std::collections::HashMap;
use wasm_encoder::reencode::Reencode;
use wasm_encoder::{BlockType, Encode, Instruction as I, ValType};
use wasmparser::{FunctionBody, Operator};

/// Operators a function may have to be inlined (its final `end` included).
const MAX_OPERATORS: usize = 120;
/// Parameters and locals it may have.
const MAX_LOCALS: usize = 24;

/// A monitor function that may be inlined.
pub struct Inlinable<'a> {
    /// Parameter types, then declared locals' types (fused encoding).
    locals: Vec<ValType>,
    params: usize,
    result: Option<ValType>,
    ops: Vec<Operator<'a>>,
}

/// Whether `body` (with signature `params -> results`) is small and plain
/// enough to inline, re-encoded for the fused module by `side`.
pub fn inlinable<'a>(
    body: &FunctionBody<'a>,
    params: &[wasmparser::ValType],
    results: &[wasmparser::ValType],
    side: &mut Side<'_>,
) -> Option<Inlinable<'a>> {
    if results.len() > 1 {
        return None;
    }
    let mut types = params.to_vec();
    for pair in body.get_locals_reader().ok()? {
        let (n, t) = pair.ok()?;
        if types.len() + n as usize > MAX_LOCALS {
            return None;
        }
        types.extend(std::iter::repeat_n(t, n as usize));
    }
    if !types.iter().all(|t| t.is_defaultable()) {
        return None;
    }
    let mut ops = Vec::new();
    let mut reader = body.get_operators_reader().ok()?;
    while !reader.eof() {
        let op = reader.read().ok()?;
        if ops.len() == MAX_OPERATORS || !inlinable_op(&op) {
            return None;
        }
        ops.push(op);
    }
    let locals = types
        .iter()
        .map(|t| side.val_type(*t))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let result = match results.first() {
        Some(t) => Some(side.val_type(*t).ok()?),
        None => None,
    };
    Some(Inlinable {
        locals,
        params: params.len(),
        result,
        ops,
    })
}

/// Operators whose meaning depends on the frame they run in (tail calls
/// leave it; the legacy exception instructions name labels in ways this
/// does not track).
fn inlinable_op(op: &Operator<'_>) -> bool {
    !matches!(
        op,
        Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::ReturnCallRef { .. }
            | Operator::Try { .. }
            | Operator::Catch { .. }
            | Operator::CatchAll
            | Operator::Delegate { .. }
            | Operator::Rethrow { .. }
    )
}

/// Scratch locals of the function being written, reused from site to
/// site (an inlined body's values are dead once it ends).
pub struct LocalPool {
    /// The first index after the function's own parameters and locals.
    next: u32,
    free: HashMap<ValType, Vec<u32>>,
    /// Types of the locals added, in index order.
    pub added: Vec<ValType>,
}

impl LocalPool {
    pub fn new(first: u32) -> LocalPool {
        LocalPool {
            next: first,
            free: HashMap::new(),
            added: Vec::new(),
        }
    }

    /// Locals for `types`, in order, distinct from each other.
    fn take(&mut self, types: &[ValType]) -> Vec<u32> {
        let mut used: HashMap<ValType, usize> = HashMap::new();
        types
            .iter()
            .map(|t| {
                let k = used.entry(*t).or_default();
                let pool = self.free.entry(*t).or_default();
                if *k == pool.len() {
                    pool.push(self.next);
                    self.added.push(*t);
                    self.next += 1;
                }
                *k += 1;
                pool[*k - 1]
            })
            .collect()
    }
}

/// The zero value of a defaultable type.
fn zero(t: ValType) -> I<'static> {
    match t {
        ValType::I32 => I::I32Const(0),
        ValType::I64 => I::I64Const(0),
        ValType::F32 => I::F32Const(0.0.into()),
        ValType::F64 => I::F64Const(0.0.into()),
        ValType::V128 => I::V128Const(0),
        ValType::Ref(r) => I::RefNull(r.heap_type),
    }
}

/// Write `f`'s body at a call site into `out`; its arguments are on the
/// stack. `side` moves the body's indices to the fused module.
pub fn emit(f: &Inlinable<'_>, out: &mut Vec<u8>, pool: &mut LocalPool, side: &mut Side<'_>) {
    let locals = pool.take(&f.locals);
    for &l in locals[..f.params].iter().rev() {
        I::LocalSet(l).encode(out);
    }
    for (&l, &t) in locals[f.params..].iter().zip(&f.locals[f.params..]) {
        zero(t).encode(out);
        I::LocalSet(l).encode(out);
    }
    let bt = match f.result {
        Some(t) => BlockType::Result(t),
        None => BlockType::Empty,
    };
    I::Block(bt).encode(out);
    // Labels open inside the body (the block above is the function's).
    let mut depth = 0u32;
    for op in &f.ops {
        let ins = match op {
            Operator::Return => I::Br(depth),
            Operator::LocalGet { local_index } => I::LocalGet(locals[*local_index as usize]),
            Operator::LocalSet { local_index } => I::LocalSet(locals[*local_index as usize]),
            Operator::LocalTee { local_index } => I::LocalTee(locals[*local_index as usize]),
            other => {
                match other {
                    Operator::Block { .. }
                    | Operator::Loop { .. }
                    | Operator::If { .. }
                    | Operator::TryTable { .. } => depth += 1,
                    Operator::End => depth = depth.saturating_sub(1),
                    _ => {}
                }
                match side.instruction(other.clone()) {
                    Ok(i) => i,
                    // Unreachable for validated input; an invalid output is
                    // caught by the fused module's validation.
                    Err(_) => I::Unreachable,
                }
            }
        };
        ins.encode(out);
    }
}
