//! Slot -> function maps for `resolved_fid`. Tables that never change get
//! theirs from the element segments. Tables the program writes get a
//! shadow: a slot ->
//! function map in the instrumentation memory, set from the element
//! segments and kept up to date before every instruction that writes the
//! table. Slots hold `fid + 1` (0: unknown or null), so memory never
//! written reads as unknown and costs nothing in the output.
//!
//! What is followed: `table.set` and `table.fill` of a `ref.func` just
//! before them (anything else stores "unknown"), `table.copy` between
//! followed tables, `table.init` from an element segment. `table.grow`
//! adds slots that were never written, which read as unknown. Tables the
//! host can write too (imported, exported) are shadowed the same way, with
//! a warning: the host's own writes are not seen (a slot only the host
//! filled reads as unknown). Tables filled at offsets that are not
//! constants have no shadow.

use crate::app::App;
use std::collections::HashMap;
use wasm_encoder::{BlockType, Instruction as I, MemArg, ValType};
use wasmparser::Operator;
use wham_codegen::{Additions, LocalAlloc};

/// Slots followed per table; indices beyond read as unknown.
pub const CAP: u32 = 1 << 16;

#[derive(Default)]
pub struct Shadows {
    /// Tables that never change: their slots as the element segments
    /// leave them, (address, slots).
    fixed: HashMap<u32, (u32, u32)>,
    /// Table -> address of its shadow.
    tables: HashMap<u32, u32>,
    /// Element segment -> (address, slots) of its functions.
    segments: HashMap<u32, (u32, u32)>,
    /// What the user should know about shadows of the host's tables.
    pub warnings: Vec<String>,
}

fn at(addr: u32, im: u32) -> MemArg {
    MemArg {
        offset: addr as u64,
        align: 2,
        memory_index: im,
    }
}

fn encode(funcs: &[Option<u32>]) -> Vec<u8> {
    funcs
        .iter()
        .flat_map(|f| f.map_or(0, |f| f + 1).to_le_bytes())
        .collect()
}

/// Whether an instruction writes table slots that a shadow follows.
pub fn writes_table(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::TableSet { .. }
            | Operator::TableFill { .. }
            | Operator::TableCopy { .. }
            | Operator::TableInit { .. }
    )
}

impl Shadows {
    /// Where `resolved_fid` finds the slots of table `t`, (address,
    /// slots): the element segments' functions for a table that never
    /// changes; its shadow for one the program writes, when `follow`
    /// (the script reads `resolved_fid`); else `None`.
    pub fn slots(
        &mut self,
        add: &mut Additions,
        app: &App<'_>,
        t: u32,
        follow: bool,
    ) -> Option<(u32, u32)> {
        if app.tables_changing.contains(&t) {
            return if follow {
                self.table(add, app, t).map(|a| (a, CAP))
            } else {
                None
            };
        }
        if let Some(&m) = self.fixed.get(&t) {
            return Some(m);
        }
        let init = app.table_init.get(&t).cloned().unwrap_or_default();
        let a = add.alloc(4 * init.len() as u32, 4);
        add.init_bytes(a, &encode(&init));
        let m = (a, init.len() as u32);
        self.fixed.insert(t, m);
        Some(m)
    }

    /// The shadow of table `t`, made on first use; `None` when its writes
    /// cannot be followed.
    fn table(&mut self, add: &mut Additions, app: &App<'_>, t: u32) -> Option<u32> {
        if app.tables_opaque.contains(&t) {
            return None;
        }
        if let Some(&a) = self.tables.get(&t) {
            return Some(a);
        }
        if app.tables_host.contains(&t) {
            self.warnings.push(format!(
                "table {t} is {}: `resolved_fid` follows this module's writes to it, not the host's (a slot only the host filled reads as -1)",
                if t < app.num_imported_tables() { "imported" } else { "exported" }
            ));
        }
        let a = add.alloc(4 * CAP, 4);
        if let Some(init) = app.table_init.get(&t) {
            let init = &init[..init.len().min(CAP as usize)];
            add.init_bytes(a, &encode(init));
        }
        self.tables.insert(t, a);
        Some(a)
    }

    fn segment(&mut self, add: &mut Additions, app: &App<'_>, seg: u32) -> (u32, u32) {
        if let Some(&s) = self.segments.get(&seg) {
            return s;
        }
        let funcs = app
            .elem_funcs
            .get(seg as usize)
            .cloned()
            .unwrap_or_default();
        let a = add.alloc(4 * funcs.len() as u32, 4);
        add.init_bytes(a, &encode(&funcs));
        let s = (a, funcs.len() as u32);
        self.segments.insert(seg, s);
        s
    }

    /// `resolved_fid` of the slot in local `slot` of the `len` slots at
    /// `addr` (from [`Shadows::slots`]): the function, or -1.
    pub fn lookup(addr: u32, len: u32, im: u32, slot: u32) -> Vec<I<'static>> {
        vec![
            I::LocalGet(slot),
            I::I32Const(len as i32),
            I::I32LtU,
            I::If(BlockType::Result(ValType::I32)),
            I::LocalGet(slot),
            I::I32Const(2),
            I::I32Shl,
            I::I32Load(at(addr, im)),
            I::I32Const(1),
            I::I32Sub,
            I::Else,
            I::I32Const(-1),
            I::End,
        ]
    }

    /// Code to run just before `op`, with its operands on the stack (and
    /// left there), when it writes a followed table. `prev` is the
    /// instruction before it; `ref_type` the type of a reference operand.
    pub fn update(
        &mut self,
        add: &mut Additions,
        app: &App<'_>,
        op: &Operator<'_>,
        prev: Option<&Operator<'_>>,
        alloc: &mut LocalAlloc,
        ref_type: Option<ValType>,
    ) -> Vec<I<'static>> {
        let im = add.instr_mem();
        // What a reference pushed just before holds: its function + 1.
        let stored = match prev {
            Some(Operator::RefFunc { function_index }) => *function_index as i32 + 1,
            _ => 0,
        };
        match op {
            Operator::TableSet { table } => {
                let (Some(shadow), Some(rt)) = (self.table(add, app, *table), ref_type) else {
                    return Vec::new();
                };
                let (slot, r) = (alloc.get(ValType::I32), alloc.get(rt));
                vec![
                    I::LocalSet(r),
                    I::LocalTee(slot),
                    I::I32Const(CAP as i32),
                    I::I32LtU,
                    I::If(BlockType::Empty),
                    I::LocalGet(slot),
                    I::I32Const(2),
                    I::I32Shl,
                    I::I32Const(stored),
                    I::I32Store(at(shadow, im)),
                    I::End,
                    I::LocalGet(slot),
                    I::LocalGet(r),
                ]
            }
            Operator::TableFill { table } => {
                let (Some(shadow), Some(rt)) = (self.table(add, app, *table), ref_type) else {
                    return Vec::new();
                };
                let (d, r, n) = (
                    alloc.get(ValType::I32),
                    alloc.get(rt),
                    alloc.get(ValType::I32),
                );
                let mut c = vec![I::LocalSet(n), I::LocalSet(r), I::LocalSet(d)];
                c.extend(fill(shadow, im, d, n, stored, alloc));
                c.extend([I::LocalGet(d), I::LocalGet(r), I::LocalGet(n)]);
                c
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let Some(dst) = self.table(add, app, *dst_table) else {
                    return Vec::new();
                };
                let src = self.table(add, app, *src_table).map(|a| (a, CAP));
                self.copy(im, dst, src, alloc)
            }
            Operator::TableInit { elem_index, table } => {
                let Some(dst) = self.table(add, app, *table) else {
                    return Vec::new();
                };
                let src = self.segment(add, app, *elem_index);
                self.copy(im, dst, Some(src), alloc)
            }
            _ => Vec::new(),
        }
    }

    /// Before a copy of `n` slots to `d` in the shadow at `dst` from `s` in
    /// `src` (address, slots): the same copy where both ranges are
    /// followed, else the destination range becomes unknown.
    fn copy(
        &self,
        im: u32,
        dst: u32,
        src: Option<(u32, u32)>,
        alloc: &mut LocalAlloc,
    ) -> Vec<I<'static>> {
        let (d, s, n) = (
            alloc.get(ValType::I32),
            alloc.get(ValType::I32),
            alloc.get(ValType::I32),
        );
        let mut c = vec![I::LocalSet(n), I::LocalSet(s), I::LocalSet(d)];
        // `at <= len && n <= len - at`, without overflow.
        let fits = |at: u32, len: u32| {
            vec![
                I::LocalGet(at),
                I::I32Const(len as i32),
                I::I32LeU,
                I::LocalGet(n),
                I::I32Const(len as i32),
                I::LocalGet(at),
                I::I32Sub,
                I::I32LeU,
                I::I32And,
            ]
        };
        match src {
            Some((src, len)) => {
                c.extend(fits(d, CAP));
                c.extend(fits(s, len));
                c.extend([I::I32And, I::If(BlockType::Empty)]);
                for (local, base) in [(d, dst), (s, src)] {
                    c.extend([
                        I::LocalGet(local),
                        I::I32Const(2),
                        I::I32Shl,
                        I::I32Const(base as i32),
                        I::I32Add,
                    ]);
                }
                c.extend([
                    I::LocalGet(n),
                    I::I32Const(2),
                    I::I32Shl,
                    I::MemoryCopy {
                        src_mem: im,
                        dst_mem: im,
                    },
                    I::Else,
                ]);
                c.extend(fill(dst, im, d, n, 0, alloc));
                c.push(I::End);
            }
            None => c.extend(fill(dst, im, d, n, 0, alloc)),
        }
        c.extend([I::LocalGet(d), I::LocalGet(s), I::LocalGet(n)]);
        c
    }
}

/// Set `n` slots from `d` (locals) of the shadow at `shadow` to `value`,
/// stopping at the followed slots' end.
fn fill(
    shadow: u32,
    im: u32,
    d: u32,
    n: u32,
    value: i32,
    alloc: &mut LocalAlloc,
) -> Vec<I<'static>> {
    let j = alloc.get(ValType::I32);
    vec![
        I::LocalGet(d),
        I::LocalSet(j),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        // j - d >= n: done (unsigned, so a wrapped range stops too)
        I::LocalGet(j),
        I::LocalGet(d),
        I::I32Sub,
        I::LocalGet(n),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(j),
        I::I32Const(CAP as i32),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(j),
        I::I32Const(2),
        I::I32Shl,
        I::I32Const(value),
        I::I32Store(at(shadow, im)),
        I::LocalGet(j),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(j),
        I::Br(0),
        I::End,
        I::End,
    ]
}
