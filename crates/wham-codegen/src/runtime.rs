//! The runtime that instrumentation needs, generated into the output so a
//! rewritten module needs nothing but WASI: a buffered writer to a file
//! descriptor and decimal number printing.

use crate::module::{Additions, Body, mem};
use crate::repr::at;
use wasm_encoder::{BlockType, ConstExpr, Instruction as I, ValType};

/// How bytes reach WASI's `fd_write`, which reads from the memory the
/// module exports as `memory`.
#[derive(Clone, Copy, Debug)]
pub enum OutputVia {
    /// The instrumentation memory is that memory (monitor modules, or apps
    /// that export no memory of their own).
    OwnMemory,
    /// The app's memory is; bytes are staged at its start for the call and
    /// the app's bytes restored right after, so the app never sees them.
    AppMemory(u32),
}

/// Indices of the generated runtime functions and its state.
#[derive(Clone, Copy, Debug)]
pub struct Runtime {
    /// `(ptr: i32, len: i32)`: append bytes of instrumentation memory.
    pub put_bytes: u32,
    /// `(v: i64)`: append `v` in decimal, unsigned.
    pub put_u64: u32,
    /// `(v: i64)`: append `v` in decimal, signed.
    pub put_i64: u32,
    /// `()`: write out what is buffered.
    pub flush: u32,
    /// The file descriptor output goes to (1 stdout, 2 stderr).
    pub fd_global: u32,
}

pub fn build(add: &mut Additions, fd_write: u32, via: OutputVia, fd: i32) -> Runtime {
    let out_len = add.add_global("wham_out_len", ValType::I32, ConstExpr::i32_const(0));
    let fd_global = add.add_global("wham_out_fd", ValType::I32, ConstExpr::i32_const(fd));
    let i32x2 = [ValType::I32, ValType::I32];
    let put_bytes = add.reserve_func("wham_put_bytes", &i32x2, &[]);
    let put_u64 = add.reserve_func("wham_put_u64", &[ValType::I64], &[]);
    let put_i64 = add.reserve_func("wham_put_i64", &[ValType::I64], &[]);
    let flush = add.reserve_func("wham_flush_out", &[], &[]);
    let write_all = add.reserve_func("wham_write_all", &[ValType::I32; 3], &[ValType::I32]);
    let rt = Runtime {
        put_bytes,
        put_u64,
        put_i64,
        flush,
        fd_global,
    };
    let im = add.instr_mem();
    add.define(write_all, write_all_body(im, fd_write, via).finish());
    let (failed, failed_len) = add.string(WRITE_FAILED.as_bytes());
    let f = flush_body(out_len, fd_global, write_all, (failed, failed_len));
    add.define(flush, f.finish());
    add.define(put_bytes, put_bytes_body(im, out_len, flush).finish());
    add.define(put_u64, put_u64_body(im, put_bytes).finish());
    add.define(put_i64, put_i64_body(im, put_bytes, put_u64).finish());
    rt
}

/// `min(a, b)` of two i32 locals (unsigned), left on the stack.
fn min_u(a: u32, b: u32) -> [I<'static>; 6] {
    [
        I::LocalGet(a),
        I::LocalGet(b),
        I::LocalGet(a),
        I::LocalGet(b),
        I::I32LtU,
        I::Select,
    ]
}

/// What a program whose report could not be written says on stderr
/// before it traps (so the loss is never silent).
pub const WRITE_FAILED: &str =
    "wham: the report could not be written (the output would not take it), so it is incomplete\n";

/// WASI's `errno` for "try again" (a full pipe on Node, say).
const EAGAIN: i32 = 6;

/// Attempts in a row that may make no progress before a write gives up:
/// enough for a reader that is slow, not one that is gone.
const RETRIES: i32 = 100_000_000;

/// `flush()`: write the buffer out; if that fails, say so on stderr and
/// trap, so the program does not exit 0 with half a report.
fn flush_body(out_len: u32, fd: u32, write_all: u32, failed: (u32, u32)) -> Body {
    let c = vec![
        I::GlobalGet(fd),
        I::I32Const(mem::OUT_BUF as i32),
        I::GlobalGet(out_len),
        I::I32Const(0),
        I::GlobalSet(out_len),
        I::Call(write_all),
        I::If(BlockType::Empty),
        I::I32Const(2),
        I::I32Const(failed.0 as i32),
        I::I32Const(failed.1 as i32),
        I::Call(write_all),
        I::Drop,
        I::Unreachable,
        I::End,
    ];
    Body {
        locals: vec![],
        code: c,
    }
}

/// `write_all(fd, ptr, len) -> errno`: write `len` bytes of
/// instrumentation memory at `ptr` to `fd`, however many calls it takes.
/// A call that makes no progress (`EAGAIN`, or nothing written) is
/// retried; any other error is returned.
fn write_all_body(im: u32, fd_write: u32, via: OutputVia) -> Body {
    // params: 0 fd, 1 ptr, 2 remaining. locals: 3 errno, 4 written,
    // 5 chunk, 6 cap, 7 tries
    let (fd, ptr, rem, errno, written, chunk, cap, tries) = (0, 1, 2, 3, 4, 5, 6, 7);
    let mut c = Vec::new();
    match via {
        OutputVia::OwnMemory => {
            c.extend([
                I::Block(BlockType::Empty),
                I::Loop(BlockType::Empty),
                I::LocalGet(rem),
                I::I32Eqz,
                I::BrIf(1),
                I::I32Const(mem::IOVEC as i32),
                I::LocalGet(ptr),
                I::I32Store(at(im, 0, 2)),
                I::I32Const(mem::IOVEC as i32),
                I::LocalGet(rem),
                I::I32Store(at(im, 4, 2)),
                I::I32Const(mem::IOVEC as i32),
                I::I32Const(0),
                I::I32Store(at(im, 8, 2)),
                I::LocalGet(fd),
                I::I32Const(mem::IOVEC as i32),
                I::I32Const(1),
                I::I32Const(mem::IOVEC as i32 + 8),
                I::Call(fd_write),
                I::LocalSet(errno),
                I::I32Const(mem::IOVEC as i32),
                I::I32Load(at(im, 8, 2)),
                I::LocalSet(written),
            ]);
        }
        OutputVia::AppMemory(app) => {
            c.extend([
                // cap = min(OUT_CAP, app bytes - 16); nothing to stage into
                // if the app's memory is (almost) empty.
                I::MemorySize(app),
                I::I32Const(1),
                I::I32GeU,
                I::If(BlockType::Empty),
                I::I32Const(mem::OUT_CAP as i32),
                I::LocalSet(cap),
                I::Else,
                I::I32Const(0),
                I::Return,
                I::End,
                I::Block(BlockType::Empty),
                I::Loop(BlockType::Empty),
                I::LocalGet(rem),
                I::I32Eqz,
                I::BrIf(1),
            ]);
            c.extend(min_u(rem, cap));
            c.extend([
                I::LocalSet(chunk),
                // save app[0 .. 16 + chunk]
                I::I32Const(mem::SAVE as i32),
                I::I32Const(0),
                I::LocalGet(chunk),
                I::I32Const(16),
                I::I32Add,
                I::MemoryCopy {
                    src_mem: app,
                    dst_mem: im,
                },
                // stage our bytes at app[16..]
                I::I32Const(16),
                I::LocalGet(ptr),
                I::LocalGet(chunk),
                I::MemoryCopy {
                    src_mem: im,
                    dst_mem: app,
                },
                I::I32Const(0),
                I::I32Const(16),
                I::I32Store(at(app, 0, 2)),
                I::I32Const(0),
                I::LocalGet(chunk),
                I::I32Store(at(app, 4, 2)),
                I::I32Const(0),
                I::I32Const(0),
                I::I32Store(at(app, 8, 2)),
                I::LocalGet(fd),
                I::I32Const(0),
                I::I32Const(1),
                I::I32Const(8),
                I::Call(fd_write),
                I::LocalSet(errno),
                I::I32Const(0),
                I::I32Load(at(app, 8, 2)),
                I::LocalSet(written),
                // restore the app's bytes
                I::I32Const(0),
                I::I32Const(mem::SAVE as i32),
                I::LocalGet(chunk),
                I::I32Const(16),
                I::I32Add,
                I::MemoryCopy {
                    src_mem: im,
                    dst_mem: app,
                },
            ]);
        }
    }
    c.extend([
        // No progress: try again, up to RETRIES times in a row.
        I::LocalGet(errno),
        I::I32Const(EAGAIN),
        I::I32Eq,
        I::LocalGet(errno),
        I::I32Eqz,
        I::LocalGet(written),
        I::I32Eqz,
        I::I32And,
        I::I32Or,
        I::If(BlockType::Empty),
        I::LocalGet(tries),
        I::I32Const(1),
        I::I32Add,
        I::LocalTee(tries),
        I::I32Const(RETRIES),
        I::I32GeU,
        I::If(BlockType::Empty),
        I::I32Const(EAGAIN),
        I::Return,
        I::End,
        I::Br(1),
        I::End,
        I::LocalGet(errno),
        I::If(BlockType::Empty),
        I::LocalGet(errno),
        I::Return,
        I::End,
        I::I32Const(0),
        I::LocalSet(tries),
        I::LocalGet(ptr),
        I::LocalGet(written),
        I::I32Add,
        I::LocalSet(ptr),
        I::LocalGet(rem),
        I::LocalGet(written),
        I::I32Sub,
        I::LocalSet(rem),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(0),
    ]);
    Body {
        locals: vec![ValType::I32; 5],
        code: c,
    }
}

fn put_bytes_body(im: u32, out_len: u32, flush: u32) -> Body {
    // params: 0 ptr, 1 len. locals: 2 k, 3 room
    let (p, n, k, room) = (0, 1, 2, 3);
    let mut c = vec![
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(n),
        I::I32Eqz,
        I::BrIf(1),
        I::GlobalGet(out_len),
        I::I32Const(mem::OUT_CAP as i32),
        I::I32Eq,
        I::If(BlockType::Empty),
        I::Call(flush),
        I::End,
        I::I32Const(mem::OUT_CAP as i32),
        I::GlobalGet(out_len),
        I::I32Sub,
        I::LocalSet(room),
    ];
    c.extend(min_u(n, room));
    c.extend([
        I::LocalSet(k),
        I::I32Const(mem::OUT_BUF as i32),
        I::GlobalGet(out_len),
        I::I32Add,
        I::LocalGet(p),
        I::LocalGet(k),
        I::MemoryCopy {
            src_mem: im,
            dst_mem: im,
        },
        I::GlobalGet(out_len),
        I::LocalGet(k),
        I::I32Add,
        I::GlobalSet(out_len),
        I::LocalGet(p),
        I::LocalGet(k),
        I::I32Add,
        I::LocalSet(p),
        I::LocalGet(n),
        I::LocalGet(k),
        I::I32Sub,
        I::LocalSet(n),
        I::Br(0),
        I::End,
        I::End,
    ]);
    Body {
        locals: vec![ValType::I32; 2],
        code: c,
    }
}

const DIGITS_END: i32 = mem::DIGITS as i32 + 20;

fn put_u64_body(im: u32, put_bytes: u32) -> Body {
    // params: 0 v (i64). locals: 1 pos
    let (v, pos) = (0, 1);
    let c = vec![
        I::I32Const(DIGITS_END),
        I::LocalSet(pos),
        I::Loop(BlockType::Empty),
        I::LocalGet(pos),
        I::I32Const(1),
        I::I32Sub,
        I::LocalTee(pos),
        I::LocalGet(v),
        I::I64Const(10),
        I::I64RemU,
        I::I32WrapI64,
        I::I32Const(b'0' as i32),
        I::I32Add,
        I::I32Store8(at(im, 0, 0)),
        I::LocalGet(v),
        I::I64Const(10),
        I::I64DivU,
        I::LocalTee(v),
        I::I64Const(0),
        I::I64Ne,
        I::BrIf(0),
        I::End,
        I::LocalGet(pos),
        I::I32Const(DIGITS_END),
        I::LocalGet(pos),
        I::I32Sub,
        I::Call(put_bytes),
    ];
    Body {
        locals: vec![ValType::I32],
        code: c,
    }
}

fn put_i64_body(im: u32, put_bytes: u32, put_u64: u32) -> Body {
    let minus = DIGITS_END + 4;
    let c = vec![
        I::LocalGet(0),
        I::I64Const(0),
        I::I64LtS,
        I::If(BlockType::Empty),
        I::I32Const(minus),
        I::I32Const(b'-' as i32),
        I::I32Store8(at(im, 0, 0)),
        I::I32Const(minus),
        I::I32Const(1),
        I::Call(put_bytes),
        // 0 - MIN wraps to MIN, whose unsigned reading is |MIN|.
        I::I64Const(0),
        I::LocalGet(0),
        I::I64Sub,
        I::LocalSet(0),
        I::End,
        I::LocalGet(0),
        I::Call(put_u64),
    ];
    Body {
        locals: vec![],
        code: c,
    }
}
