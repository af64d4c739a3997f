//! A report is never lost silently: the generated flush retries writes
//! that make no progress (Node's WASI answers `EAGAIN` on a full pipe) and
//! takes partial writes, and where writing truly fails it says so on
//! stderr and traps, so the program does not exit 0. The host here is a
//! small one of our own whose `fd_write` misbehaves on purpose.

use wasmtime::{Caller, Engine, Extern, Linker, Module, Store, Val};

/// An app of a few hundred instructions, so the report (a row each) is
/// several buffers long; with or without a memory of its own (the flush
/// stages bytes in the app's exported memory when it has one).
fn app(with_memory: bool) -> Vec<u8> {
    let body = "nop ".repeat(400);
    let memory = if with_memory {
        r#"(memory (export "memory") 1)"#
    } else {
        ""
    };
    wat::parse_str(format!(
        r#"(module {memory} (func (export "_start") {body}))"#
    ))
    .unwrap()
}

fn instrumented(with_memory: bool) -> Vec<u8> {
    let src = "wasm:opcode:nop:before { report unshared var n: u32; n++; }";
    let (checked, diags) = wham_lang::compile(src);
    let checked = checked.unwrap_or_else(|| panic!("{}", diags.summary()));
    wham_rewrite::instrument(&checked, &app(with_memory), &Default::default())
        .unwrap()
        .bytes
}

/// The report as wham's own runner prints it.
fn expected(bytes: &[u8]) -> Vec<u8> {
    let r = wham_host::run(
        bytes,
        &wham_host::RunOptions {
            capture: true,
            finally: Some(wham_rewrite::FLUSH_EXPORT.into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(r.outcome, wham_host::Outcome::Exited(0)));
    assert!(r.stdout.len() > 3 * 4096, "{} bytes", r.stdout.len());
    r.stdout
}

/// What our host's `fd_write` does with a call to fd 1.
#[derive(Clone, Copy)]
enum Stdout {
    /// Answers `EAGAIN` for the first calls and every third one after,
    /// and takes at most 1000 bytes at a time.
    Flaky,
    /// Fails with `EIO`.
    Broken,
}

struct Host {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    calls: u32,
    mode: Stdout,
}

fn fd_write(mut caller: Caller<'_, Host>, params: &[Val], results: &mut [Val]) {
    let [fd, iovs, n, nwritten] = [0, 1, 2, 3].map(|i| params[i].unwrap_i32() as u32 as usize);
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        panic!("the module exports no memory")
    };
    let host = caller.data_mut();
    host.calls += 1;
    let again = fd == 1
        && match host.mode {
            Stdout::Flaky => host.calls <= 3 || host.calls.is_multiple_of(3),
            Stdout::Broken => false,
        };
    if fd == 1 && matches!(host.mode, Stdout::Broken) {
        results[0] = Val::I32(29);
        return;
    }
    if again {
        results[0] = Val::I32(6);
        return;
    }
    let (data, host) = memory.data_and_store_mut(&mut caller);
    let word = |at: usize| u32::from_le_bytes(data[at..at + 4].try_into().unwrap()) as usize;
    let mut bytes = Vec::new();
    for k in 0..n {
        let (ptr, len) = (word(iovs + 8 * k), word(iovs + 8 * k + 4));
        bytes.extend_from_slice(&data[ptr..ptr + len]);
    }
    if fd == 1 {
        bytes.truncate(1000);
    }
    let taken = bytes.len() as u32;
    data[nwritten..nwritten + 4].copy_from_slice(&taken.to_le_bytes());
    match fd {
        1 => host.stdout.extend(bytes),
        _ => host.stderr.extend(bytes),
    }
    results[0] = Val::I32(0);
}

/// Run `bytes` on our host (the report is written when `_start` returns):
/// the outcome, and what reached stdout and stderr.
fn run(bytes: &[u8], mode: Stdout) -> (wasmtime::Result<()>, Vec<u8>, Vec<u8>) {
    let engine = Engine::new(wasmtime::Config::new().wasm_multi_memory(true)).unwrap();
    let module = Module::new(&engine, bytes).unwrap();
    let mut linker = Linker::new(&engine);
    for import in module.imports() {
        let wasmtime::ExternType::Func(ty) = import.ty() else {
            panic!("{} is not a function", import.name())
        };
        let (m, name) = (import.module(), import.name());
        if name == "fd_write" {
            linker.func_new(m, name, ty, |c, p, r| {
                fd_write(c, p, r);
                Ok(())
            })
        } else {
            // The rest of WASI is not there (the report goes to stdout).
            linker.func_new(m, name, ty, |_, _, results| {
                results.iter_mut().for_each(|r| *r = Val::I32(52));
                Ok(())
            })
        }
        .unwrap();
    }
    let host = Host {
        stdout: Vec::new(),
        stderr: Vec::new(),
        calls: 0,
        mode,
    };
    let mut store = Store::new(&engine, host);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .unwrap();
    let outcome = start.call(&mut store, ());
    let host = store.into_data();
    (outcome, host.stdout, host.stderr)
}

#[test]
fn writes_that_make_no_progress_are_retried_until_the_report_is_out() {
    for with_memory in [false, true] {
        let bytes = instrumented(with_memory);
        let (outcome, stdout, stderr) = run(&bytes, Stdout::Flaky);
        assert!(outcome.is_ok(), "memory {with_memory}: {outcome:?}");
        assert!(stderr.is_empty(), "{}", String::from_utf8_lossy(&stderr));
        assert!(
            stdout == expected(&bytes),
            "memory {with_memory}: the report differs ({} bytes, {} expected)",
            stdout.len(),
            expected(&bytes).len()
        );
    }
}

#[test]
fn a_report_that_cannot_be_written_is_an_error_not_a_short_report() {
    for with_memory in [false, true] {
        let bytes = instrumented(with_memory);
        let (outcome, stdout, stderr) = run(&bytes, Stdout::Broken);
        assert!(
            outcome.is_err(),
            "memory {with_memory}: the program returned"
        );
        assert!(stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&stderr),
            wham_codegen::runtime::WRITE_FAILED,
            "memory {with_memory}"
        );
    }
}
