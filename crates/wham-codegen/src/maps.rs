//! Maps, generated into the output: hash tables in instrumentation memory
//! with any primitive, string or tuple key and any value. A map is the
//! address of its header (`slots`, `capacity`, `count`); entries are
//! `hash, key_len, key bytes, value` allocated from a heap that grows the
//! instrumentation memory. Missing keys read as the value type's zero.

use crate::module::{Additions, Body};
use crate::repr::at as m;
use wasm_encoder::{BlockType, Instruction as I, ValType};
use wham_events::Ty;

/// Indices of the map runtime's functions and state.
#[derive(Clone, Copy, Debug)]
pub struct MapRuntime {
    /// Next free heap byte (global); set to the end of static data when
    /// the module is finished.
    pub heap_top: u32,
    /// `(n) -> ptr`: allocate `n` bytes (8-aligned) from the heap.
    pub alloc: u32,
    /// `(n)`: make sure `n` bytes past `heap_top` are in memory (for keys
    /// serialised there before they are known to be new).
    pub reserve: u32,
    /// `(map, key_ptr, key_len) -> value_ptr` or 0 when absent.
    pub find: u32,
    /// `(map, key_ptr, key_len, value_size) -> value_ptr`, inserting a
    /// zeroed value when absent.
    pub upsert: u32,
}

/// The bytes a map header takes.
pub const HEADER: u32 = 12;
/// Slots a new map starts with (allocated with its header, so a table is
/// never empty and inserting never has to grow first).
pub const INITIAL_SLOTS: u32 = 16;

/// A new empty map in static data; its id (header address).
pub fn new_map(add: &mut Additions) -> u32 {
    let header = add.alloc(HEADER, 4);
    let slots = add.alloc(4 * INITIAL_SLOTS, 4);
    let bytes: Vec<u8> = [slots, INITIAL_SLOTS, 0]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    add.init_bytes(header, &bytes);
    header
}

/// Code that makes a new empty map on the heap at run time and leaves its
/// id in local `id` (per-site maps of monitor modules, whose sites are
/// only known when the engine attaches a probe).
pub fn new_map_code(add: &mut Additions, id: u32) -> Vec<I<'static>> {
    let rt = MapRuntime::get(add);
    let im = add.instr_mem();
    vec![
        I::I32Const((HEADER + 4 * INITIAL_SLOTS) as i32),
        I::Call(rt.alloc),
        I::LocalSet(id),
        I::LocalGet(id),
        I::LocalGet(id),
        I::I32Const(HEADER as i32),
        I::I32Add,
        I::I32Store(crate::repr::at(im, 0, 2)),
        I::LocalGet(id),
        I::I32Const(INITIAL_SLOTS as i32),
        I::I32Store(crate::repr::at(im, 4, 2)),
    ]
}

impl MapRuntime {
    pub fn get(add: &mut Additions) -> MapRuntime {
        if let Some(rt) = add.maps {
            return rt;
        }
        let heap_top = add.add_global(
            "wham_heap_top",
            ValType::I32,
            wasm_encoder::ConstExpr::i32_const(0),
        );
        let i = ValType::I32;
        let alloc = add.reserve_func("wham_alloc", &[i], &[i]);
        let reserve = add.reserve_func("wham_reserve", &[i], &[]);
        let hash = add.reserve_func("wham_hash", &[i, i], &[i]);
        let find = add.reserve_func("wham_map_find", &[i, i, i], &[i]);
        let upsert = add.reserve_func("wham_map_upsert", &[i, i, i, i], &[i]);
        let grow = add.reserve_func("wham_map_grow", &[i], &[]);
        let rt = MapRuntime {
            heap_top,
            alloc,
            reserve,
            find,
            upsert,
        };
        add.maps = Some(rt);
        let im = add.instr_mem();
        add.define(reserve, reserve_body(im, heap_top).finish());
        add.define(alloc, alloc_body(heap_top, reserve).finish());
        add.define(hash, hash_body(im).finish());
        add.define(find, find_body(im, hash, false, 0, 0).finish());
        add.define(upsert, find_body(im, hash, true, alloc, grow).finish());
        add.define(grow, grow_body(im, alloc).finish());
        rt
    }
}

fn reserve_body(im: u32, heap_top: u32) -> Body {
    // need = heap_top + n; pages = ceil(need / 64Ki); grow the difference.
    let (n, need) = (0, 1);
    let code = vec![
        I::GlobalGet(heap_top),
        I::LocalGet(n),
        I::I32Add,
        I::LocalTee(need),
        I::I32Const(65535),
        I::I32Add,
        I::I32Const(16),
        I::I32ShrU,
        I::MemorySize(im),
        I::I32Sub,
        I::LocalTee(n),
        I::I32Const(0),
        I::I32GtS,
        I::If(BlockType::Empty),
        I::LocalGet(n),
        I::MemoryGrow(im),
        I::I32Const(-1),
        I::I32Eq,
        I::If(BlockType::Empty),
        // Out of memory for instrumentation state: stop rather than corrupt.
        I::Unreachable,
        I::End,
        I::End,
    ];
    Body {
        locals: vec![ValType::I32],
        code,
    }
}

fn alloc_body(heap_top: u32, reserve: u32) -> Body {
    let (n, p) = (0, 1);
    let code = vec![
        // n = (n + 7) & ~7
        I::LocalGet(n),
        I::I32Const(7),
        I::I32Add,
        I::I32Const(-8),
        I::I32And,
        I::LocalTee(n),
        I::Call(reserve),
        I::GlobalGet(heap_top),
        I::LocalTee(p),
        I::LocalGet(n),
        I::I32Add,
        I::GlobalSet(heap_top),
        I::LocalGet(p),
    ];
    Body {
        locals: vec![ValType::I32],
        code,
    }
}

/// FNV-1a over the key bytes.
fn hash_body(im: u32) -> Body {
    let (p, n, h, end) = (0, 1, 2, 3);
    let code = vec![
        I::I32Const(0x811c9dc5u32 as i32),
        I::LocalSet(h),
        I::LocalGet(p),
        I::LocalGet(n),
        I::I32Add,
        I::LocalSet(end),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(p),
        I::LocalGet(end),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(h),
        I::LocalGet(p),
        I::I32Load8U(m(im, 0, 0)),
        I::I32Xor,
        I::I32Const(16777619),
        I::I32Mul,
        I::LocalSet(h),
        I::LocalGet(p),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(p),
        I::Br(0),
        I::End,
        I::End,
        I::LocalGet(h),
    ];
    Body {
        locals: vec![ValType::I32; 2],
        code,
    }
}

/// Offset of an entry's value: after `hash, key_len` and the key, 8-aligned.
fn value_offset(key_len_local: u32) -> Vec<I<'static>> {
    vec![
        I::LocalGet(key_len_local),
        I::I32Const(8 + 7),
        I::I32Add,
        I::I32Const(-8),
        I::I32And,
    ]
}

/// Linear probing over `slots` (entry pointers, 0 = empty). With `insert`,
/// a missing key gets a new zeroed entry (growing the table at half load).
fn find_body(im: u32, hash: u32, insert: bool, alloc: u32, grow: u32) -> Body {
    // params: 0 map, 1 kp, 2 klen, (3 vsize). locals after params:
    let (map, kp, klen) = (0, 1, 2);
    let base = if insert { 4 } else { 3 };
    let (h, mask, i, e, slots, j) = (base, base + 1, base + 2, base + 3, base + 4, base + 5);
    let mut c = Vec::new();
    if !insert {
        c.extend([
            I::LocalGet(map),
            I::I32Load(m(im, 4, 2)),
            I::I32Eqz,
            I::If(BlockType::Empty),
            I::I32Const(0),
            I::Return,
            I::End,
        ]);
    }
    c.extend([
        I::LocalGet(kp),
        I::LocalGet(klen),
        I::Call(hash),
        I::LocalSet(h),
        I::LocalGet(map),
        I::I32Load(m(im, 0, 2)),
        I::LocalSet(slots),
        I::LocalGet(map),
        I::I32Load(m(im, 4, 2)),
        I::I32Const(1),
        I::I32Sub,
        I::LocalSet(mask),
        I::LocalGet(h),
        I::LocalGet(mask),
        I::I32And,
        I::LocalSet(i),
        I::Loop(BlockType::Empty),
        // e = slots[i]
        I::LocalGet(slots),
        I::LocalGet(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::LocalTee(e),
        I::I32Eqz,
        I::If(BlockType::Empty),
    ]);
    if insert {
        // New entry: hash, klen, key, zeroed value.
        c.extend([
            I::I32Const(8),
            I::LocalGet(klen),
            I::I32Add,
            I::I32Const(7),
            I::I32Add,
            I::I32Const(-8),
            I::I32And,
            I::LocalGet(3),
            I::I32Add,
            I::Call(alloc),
            I::LocalSet(e),
            // The key may sit right at the old heap top, under the new
            // entry: memory.copy handles the overlap.
            I::LocalGet(e),
            I::I32Const(8),
            I::I32Add,
            I::LocalGet(kp),
            I::LocalGet(klen),
            I::MemoryCopy {
                src_mem: im,
                dst_mem: im,
            },
            I::LocalGet(e),
            I::LocalGet(h),
            I::I32Store(m(im, 0, 2)),
            I::LocalGet(e),
            I::LocalGet(klen),
            I::I32Store(m(im, 4, 2)),
        ]);
        c.extend([I::LocalGet(e)]);
        c.extend(value_offset(klen));
        c.extend([
            I::I32Add,
            I::I32Const(0),
            I::LocalGet(3),
            I::MemoryFill(im),
            I::LocalGet(slots),
            I::LocalGet(i),
            I::I32Const(2),
            I::I32Shl,
            I::I32Add,
            I::LocalGet(e),
            I::I32Store(m(im, 0, 2)),
            I::LocalGet(map),
            I::LocalGet(map),
            I::I32Load(m(im, 8, 2)),
            I::I32Const(1),
            I::I32Add,
            I::I32Store(m(im, 8, 2)),
            // Grow after inserting, never before: the key being inserted
            // may sit at the heap top, where the new table would go.
            I::LocalGet(map),
            I::I32Load(m(im, 8, 2)),
            I::I32Const(1),
            I::I32Shl,
            I::LocalGet(map),
            I::I32Load(m(im, 4, 2)),
            I::I32GtU,
            I::If(BlockType::Empty),
            I::LocalGet(map),
            I::Call(grow),
            I::End,
            I::LocalGet(e),
        ]);
        c.extend(value_offset(klen));
        c.extend([I::I32Add, I::Return]);
    } else {
        c.extend([I::I32Const(0), I::Return]);
    }
    c.extend([
        I::End,
        // same hash and length, then same bytes?
        I::LocalGet(e),
        I::I32Load(m(im, 0, 2)),
        I::LocalGet(h),
        I::I32Eq,
        I::LocalGet(e),
        I::I32Load(m(im, 4, 2)),
        I::LocalGet(klen),
        I::I32Eq,
        I::I32And,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::LocalSet(j),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(j),
        I::LocalGet(klen),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(e),
        I::LocalGet(j),
        I::I32Add,
        I::I32Load8U(m(im, 8, 0)),
        I::LocalGet(kp),
        I::LocalGet(j),
        I::I32Add,
        I::I32Load8U(m(im, 0, 0)),
        I::I32Ne,
        I::BrIf(1),
        I::LocalGet(j),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(j),
        I::Br(0),
        I::End,
        I::End,
        I::LocalGet(j),
        I::LocalGet(klen),
        I::I32Eq,
        I::If(BlockType::Empty),
        I::LocalGet(e),
    ]);
    c.extend(value_offset(klen));
    c.extend([
        I::I32Add,
        I::Return,
        I::End,
        I::End,
        I::LocalGet(i),
        I::I32Const(1),
        I::I32Add,
        I::LocalGet(mask),
        I::I32And,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::Unreachable,
    ]);
    Body {
        locals: vec![ValType::I32; 6],
        code: c,
    }
}

/// Double the table (16 slots at first) and re-insert by stored hashes.
fn grow_body(im: u32, alloc: u32) -> Body {
    let map = 0;
    let (old, oldcap, cap, newslots, k, e, i) = (1, 2, 3, 4, 5, 6, 7);
    let code = vec![
        I::LocalGet(map),
        I::I32Load(m(im, 0, 2)),
        I::LocalSet(old),
        I::LocalGet(map),
        I::I32Load(m(im, 4, 2)),
        I::LocalTee(oldcap),
        I::I32Const(1),
        I::I32Shl,
        I::LocalTee(cap),
        I::I32Const(2),
        I::I32Shl,
        I::Call(alloc),
        I::LocalTee(newslots),
        I::I32Const(0),
        I::LocalGet(cap),
        I::I32Const(2),
        I::I32Shl,
        I::MemoryFill(im),
        I::I32Const(0),
        I::LocalSet(k),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(k),
        I::LocalGet(oldcap),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(old),
        I::LocalGet(k),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::LocalTee(e),
        I::If(BlockType::Empty),
        I::LocalGet(e),
        I::I32Load(m(im, 0, 2)),
        I::LocalGet(cap),
        I::I32Const(1),
        I::I32Sub,
        I::I32And,
        I::LocalSet(i),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(newslots),
        I::LocalGet(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(im, 0, 2)),
        I::I32Eqz,
        I::BrIf(1),
        I::LocalGet(i),
        I::I32Const(1),
        I::I32Add,
        I::LocalGet(cap),
        I::I32Const(1),
        I::I32Sub,
        I::I32And,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::End,
        I::LocalGet(newslots),
        I::LocalGet(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::LocalGet(e),
        I::I32Store(m(im, 0, 2)),
        I::End,
        I::LocalGet(k),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(k),
        I::Br(0),
        I::End,
        I::End,
        I::LocalGet(map),
        I::LocalGet(newslots),
        I::I32Store(m(im, 0, 2)),
        I::LocalGet(map),
        I::LocalGet(cap),
        I::I32Store(m(im, 4, 2)),
    ];
    Body {
        locals: vec![ValType::I32; 7],
        code,
    }
}

/// A key's serialised parts: fixed-size values, or a string (length
/// prefix, then its bytes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    Val(ValType),
    Str,
}

pub fn key_parts(ty: &Ty) -> Vec<Part> {
    let mut out = Vec::new();
    fn walk(ty: &Ty, out: &mut Vec<Part>) {
        match ty {
            Ty::Str => out.push(Part::Str),
            Ty::Tuple(items) => items.iter().for_each(|t| walk(t, out)),
            other => out.extend(crate::repr::val_types(other).into_iter().map(Part::Val)),
        }
    }
    walk(ty, &mut out);
    out
}

/// Scalar (script) types of a key or value in order, tuples flattened.
pub fn leaf_types(ty: &Ty) -> Vec<Ty> {
    match ty {
        Ty::Tuple(items) => items.iter().flat_map(leaf_types).collect(),
        other => vec![other.clone()],
    }
}
