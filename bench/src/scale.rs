//! `--scale`: how long instrumenting a large module takes, and how much
//! memory. The module is generated (deterministically): many functions
//! shaped like compiled C -- a counted loop with loads, stores, arithmetic,
//! a branch and calls to other functions -- until it reaches the size
//! asked for. Each tool is timed in a fresh process so its peak memory
//! (VmHWM) is its own.

use std::time::Instant;
use wasm_encoder::{
    BlockType, CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction as I,
    MemArg, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// A module of about `bytes` bytes.
pub fn generate(bytes: usize) -> Vec<u8> {
    // One function is about 80 bytes (body, entry in the function section).
    let n = (bytes / 80).max(2) as u32;
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([], []);
    let mut funcs = FunctionSection::new();
    let mut code = CodeSection::new();
    let mem = |offset: u64| MemArg {
        offset,
        align: 2,
        memory_index: 0,
    };
    for f in 0..n {
        funcs.function(0);
        let mut body = Function::new([(2, ValType::I32)]);
        let callee = (f * 7 + 3) % n;
        let ins = [
            I::I32Const(0),
            I::LocalSet(1),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(1),
            I::LocalGet(0),
            I::I32GeU,
            I::BrIf(1),
            I::LocalGet(1),
            I::I32Const(2),
            I::I32Shl,
            I::LocalTee(2),
            I::LocalGet(2),
            I::I32Load(mem(16)),
            I::LocalGet(1),
            I::I32Const(3),
            I::I32Mul,
            I::I32Add,
            I::I32Store(mem(1024)),
            I::LocalGet(1),
            I::I32Const(1),
            I::I32And,
            I::If(BlockType::Empty),
            I::LocalGet(2),
            I::I32Const(0),
            I::Call(callee),
            I::I32Store(mem(2048)),
            I::End,
            I::LocalGet(1),
            I::I32Const(1),
            I::I32Add,
            I::LocalSet(1),
            I::Br(0),
            I::End,
            I::End,
            I::LocalGet(1),
            I::I32Const(f as i32),
            I::I32Xor,
        ];
        for i in &ins {
            body.instruction(i);
        }
        body.instruction(&I::End);
        code.function(&body);
    }
    // `_start` calls the first function with a small count.
    funcs.function(1);
    let mut start = Function::new([]);
    for i in [I::I32Const(3), I::Call(0), I::Drop, I::End] {
        start.instruction(&i);
    }
    code.function(&start);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("_start", ExportKind::Func, n);
    exports.export("memory", ExportKind::Memory, 0);
    let mut m = Module::new();
    m.section(&types)
        .section(&funcs)
        .section(&memories)
        .section(&exports)
        .section(&code);
    m.finish()
}

/// Peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// In a fresh process: instrument `path` with `tool`, print seconds and MB.
pub fn one(path: &str, tool: &str, repo: &std::path::Path) {
    let app = std::fs::read(path).expect("generated module");
    let src = std::fs::read_to_string(repo.join(format!("examples/{tool}.mm"))).expect("example");
    let before = peak_mb().unwrap_or(0.0);
    let t = Instant::now();
    let (checked, _) = wham_lang::compile(&src);
    let out = wham_rewrite::instrument(&checked.expect("compiles"), &app, &Default::default())
        .expect("instruments");
    let secs = t.elapsed().as_secs_f64();
    let peak = peak_mb().unwrap_or(0.0);
    println!("{secs:.2} {peak:.0} {before:.0} {}", out.bytes.len() / 1024);
}

/// Generate 1 MB and 6 MB modules and instrument each with every tool.
pub fn run(tools: &[&str]) {
    let dir = std::env::temp_dir();
    println!(
        "{:<8} {:<9} {:>8} {:>9} {:>10}",
        "module", "tool", "seconds", "peak MB", "output KB"
    );
    for mb in [1usize, 6] {
        let bytes = generate(mb << 20);
        let path = dir.join(format!("wham-scale-{mb}mb.wasm"));
        std::fs::write(&path, &bytes).expect("write the module");
        for tool in tools {
            let out = std::process::Command::new(std::env::current_exe().expect("exe"))
                .args(["--scale-one", path.to_str().expect("utf-8 path"), tool])
                .output()
                .expect("runs itself");
            let text = String::from_utf8_lossy(&out.stdout);
            let f: Vec<&str> = text.split_whitespace().collect();
            if f.len() < 4 {
                println!(
                    "{:<8} {tool:<9} failed: {}",
                    format!("{:.1} MB", bytes.len() as f64 / 1048576.0),
                    String::from_utf8_lossy(&out.stderr)
                );
                continue;
            }
            println!(
                "{:<8} {tool:<9} {:>8} {:>9} {:>10}",
                format!("{:.1} MB", bytes.len() as f64 / 1048576.0),
                f[0],
                f[1],
                f[3]
            );
        }
    }
}
