//! Where the report goes, decided when the program ends: the environment
//! variable `WHAM_REPORT` (`stdout`, `stderr` or a file path) overrides the
//! destination chosen when instrumenting. Files are created in the first
//! directory the host made visible (a WASI preopen), relative to it.

use crate::module::{Additions, Body, mem};
use crate::repr::at as m;
use crate::runtime::{OutputVia, Runtime};
use crate::strings;
use wasm_encoder::{BlockType, Instruction as I, ValType};

/// Function indices of the WASI calls this needs.
#[derive(Clone, Copy, Debug)]
pub struct WasiCalls {
    pub environ_sizes_get: u32,
    pub environ_get: u32,
    pub fd_prestat_get: u32,
    pub path_open: u32,
}

/// The environment variable that overrides the report's destination.
pub const ENV_VAR: &str = "WHAM_REPORT";

/// Bytes WASI may use for a call's buffers: the environment must fit.
const CAP: i32 = mem::SAVE_CAP as i32;

/// Where WASI's buffers go: (memory, base address, whether it must be
/// saved and restored around the call).
fn scratch(im: u32, via: OutputVia) -> (u32, i32, bool) {
    match via {
        OutputVia::OwnMemory => (im, mem::SAVE as i32, false),
        OutputVia::AppMemory(app) => (app, 0, true),
    }
}

fn save(im: u32, sm: u32, staged: bool) -> Vec<I<'static>> {
    if !staged {
        return Vec::new();
    }
    vec![
        I::I32Const(mem::SAVE as i32),
        I::I32Const(0),
        I::I32Const(CAP),
        I::MemoryCopy {
            src_mem: sm,
            dst_mem: im,
        },
    ]
}

fn restore(im: u32, sm: u32, staged: bool) -> Vec<I<'static>> {
    if !staged {
        return Vec::new();
    }
    vec![
        I::I32Const(0),
        I::I32Const(mem::SAVE as i32),
        I::I32Const(CAP),
        I::MemoryCopy {
            src_mem: im,
            dst_mem: sm,
        },
    ]
}

/// Build `() -> ()` that sets the runtime's file descriptor: from
/// `WHAM_REPORT` if set, else to `default_file` if given, else leaves the
/// instrumentation-time choice (stdout or stderr).
pub fn build_chooser(
    add: &mut Additions,
    rt: &Runtime,
    via: OutputVia,
    wasi: &WasiCalls,
    default_file: Option<&str>,
) -> u32 {
    let im = add.instr_mem();
    let (sm, b, staged) = scratch(im, via);
    let open = build_open(add, rt, via, wasi);
    let f = add.reserve_func("wham_choose_output", &[], &[]);
    let value = add.alloc(256, 4);
    let prefix = format!("{ENV_VAR}=");
    let (pa, pl) = add.string(prefix.as_bytes());
    let (so, _) = add.string(b"stdout");
    let (se, _) = add.string(b"stderr");
    let eq_scratch = strings::equal(add, sm, im);
    let eq_here = strings::equal(add, im, im);
    let (errno, count, i, p, vlen, found, byte) = (0, 1, 2, 3, 4, 5, 6);
    let mut c = Vec::new();
    c.push(I::Block(BlockType::Empty));
    if staged {
        // an app memory too small to stage in: no override
        c.extend([I::MemorySize(sm), I::I32Eqz, I::BrIf(0)]);
    }
    c.extend(save(im, sm, staged));
    c.extend([
        I::I32Const(b),
        I::I32Const(b + 4),
        I::Call(wasi.environ_sizes_get),
        I::LocalSet(errno),
        I::Block(BlockType::Empty),
        I::LocalGet(errno),
        I::BrIf(0),
        I::I32Const(b),
        I::I32Load(m(sm, 0, 2)),
        I::LocalSet(count),
        // count * 4 + size + 8 must fit
        I::LocalGet(count),
        I::I32Const(2),
        I::I32Shl,
        I::I32Const(b),
        I::I32Load(m(sm, 4, 2)),
        I::I32Add,
        I::I32Const(8),
        I::I32Add,
        I::I32Const(CAP),
        I::I32GtU,
        I::BrIf(0),
        I::I32Const(b + 8),
        I::I32Const(b + 8),
        I::LocalGet(count),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::Call(wasi.environ_get),
        I::BrIf(0),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(i),
        I::LocalGet(count),
        I::I32GeU,
        I::BrIf(1),
        I::I32Const(b + 8),
        I::LocalGet(i),
        I::I32Const(2),
        I::I32Shl,
        I::I32Add,
        I::I32Load(m(sm, 0, 2)),
        I::LocalTee(p),
        I::I32Const(pl as i32),
        I::I32Const(pa as i32),
        I::I32Const(pl as i32),
        I::Call(eq_scratch),
        I::If(BlockType::Empty),
        // copy the value (up to NUL, at most 255 bytes)
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(p),
        I::LocalGet(vlen),
        I::I32Add,
        I::I32Load8U(m(sm, pl as u64, 0)),
        I::LocalTee(byte),
        I::I32Eqz,
        I::LocalGet(vlen),
        I::I32Const(255),
        I::I32GeU,
        I::I32Or,
        I::BrIf(1),
        I::I32Const(value as i32),
        I::LocalGet(vlen),
        I::I32Add,
        I::LocalGet(byte),
        I::I32Store8(m(im, 0, 0)),
        I::LocalGet(vlen),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(vlen),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(1),
        I::LocalSet(found),
        I::Br(2),
        I::End,
        I::LocalGet(i),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(i),
        I::Br(0),
        I::End,
        I::End,
        I::End,
    ]);
    c.extend(restore(im, sm, staged));
    c.push(I::End);
    // decide
    let set_fd = |fd: i32| vec![I::I32Const(fd), I::GlobalSet(rt.fd_global), I::Return];
    c.extend([
        I::LocalGet(found),
        I::LocalGet(vlen),
        I::I32Const(0),
        I::I32Ne,
        I::I32And,
        I::If(BlockType::Empty),
    ]);
    for (name, fd) in [(so, 1), (se, 2)] {
        c.extend([
            I::I32Const(value as i32),
            I::LocalGet(vlen),
            I::I32Const(name as i32),
            I::I32Const(6),
            I::Call(eq_here),
            I::If(BlockType::Empty),
        ]);
        c.extend(set_fd(fd));
        c.push(I::End);
    }
    c.extend([
        I::I32Const(value as i32),
        I::LocalGet(vlen),
        I::Call(open),
        I::Return,
        I::End,
    ]);
    if let Some(path) = default_file {
        let (a, l) = add.string(path.as_bytes());
        c.extend([I::I32Const(a as i32), I::I32Const(l as i32), I::Call(open)]);
    }
    add.define(
        f,
        Body {
            locals: vec![ValType::I32; 7],
            code: c,
        }
        .finish(),
    );
    f
}

/// `(path, len) -> ()`: create (truncate) the file in the first preopened
/// directory and send output there; stderr if that fails.
fn build_open(add: &mut Additions, rt: &Runtime, via: OutputVia, wasi: &WasiCalls) -> u32 {
    let im = add.instr_mem();
    let (sm, b, staged) = scratch(im, via);
    let f = add.reserve_func("wham_open_report", &[ValType::I32, ValType::I32], &[]);
    let (path, len, dirfd, k, fd) = (0, 1, 2, 3, 4);
    let mut c = vec![I::I32Const(2), I::LocalSet(fd), I::Block(BlockType::Empty)];
    if staged {
        c.extend([I::MemorySize(sm), I::I32Eqz, I::BrIf(0)]);
    }
    c.extend([
        I::LocalGet(len),
        I::I32Const(CAP - 32),
        I::I32GtU,
        I::BrIf(0),
    ]);
    c.extend(save(im, sm, staged));
    c.extend([
        I::I32Const(-1),
        I::LocalSet(dirfd),
        I::I32Const(3),
        I::LocalSet(k),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(k),
        I::I32Const(3 + 64),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(k),
        I::I32Const(b),
        I::Call(wasi.fd_prestat_get),
        I::I32Eqz,
        I::If(BlockType::Empty),
        I::LocalGet(k),
        I::LocalSet(dirfd),
        I::Br(2),
        I::End,
        I::LocalGet(k),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(k),
        I::Br(0),
        I::End,
        I::End,
        I::LocalGet(dirfd),
        I::I32Const(0),
        I::I32GeS,
        I::If(BlockType::Empty),
        I::I32Const(b + 16),
        I::LocalGet(path),
        I::LocalGet(len),
        I::MemoryCopy {
            src_mem: im,
            dst_mem: sm,
        },
        I::LocalGet(dirfd),
        I::I32Const(0),
        I::I32Const(b + 16),
        I::LocalGet(len),
        I::I32Const(1 | 8),  // O_CREAT | O_TRUNC
        I::I64Const(1 << 6), // right to fd_write
        I::I64Const(0),
        I::I32Const(0),
        I::I32Const(b + 8),
        I::Call(wasi.path_open),
        I::I32Eqz,
        I::If(BlockType::Empty),
        I::I32Const(b + 8),
        I::I32Load(m(sm, 0, 2)),
        I::LocalSet(fd),
        I::End,
        I::End,
    ]);
    c.extend(restore(im, sm, staged));
    c.extend([I::End, I::LocalGet(fd), I::GlobalSet(rt.fd_global)]);
    add.define(
        f,
        Body {
            locals: vec![ValType::I32; 3],
            code: c,
        }
        .finish(),
    );
    f
}
