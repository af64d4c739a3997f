//! Random valid modules (wasm-smith, every proposal wham reads) through the
//! rewriter with scripts that exercise each kind of weaving: the rewriter
//! may refuse a script for a module, but never panics and never produces
//! an internal error (its output always validates).
#![no_main]

use libfuzzer_sys::fuzz_target;
use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};

const SCRIPTS: &[&str] = &[
    "report var n: u64; wasm:opcode:*:before { n++; }",
    "wasm:opcode:*:before { report unshared var c: u32; c++; }",
    "wasm:opcode:*:after { report unshared var c: u32; c++; }",
    "wasm:opcode:br_if|if|br_table:before { report unshared var t: u32; if (arg0 != 0) { t++; } }",
    "wasm:opcode:br*:at_target { report unshared var t: u32; t++; }",
    "wasm:func:entry { report unshared var n: u32; n++; } wasm:func:exit { report unshared var x: u32; x++; }",
    "wasm:block:start { report unshared var s: u32; s++; } wasm:block:end { report unshared var e: u32 = instr_count; }",
    "report var loads: u64; wasm:opcode:*load*|*store*:before { loads = loads + (effective_addr as u64); }",
    "wasm:opcode:i32.add:after { res0 = res0 + 1; } wasm:opcode:i32.const:alt / imm0 == 0 / { return 1; }",
    "wasm:opcode:block|loop|if|try_table:alt / opidx % 3 == 1 / { }",
    "var k: u32; wasm:opcode:block|loop|if:alt / k > 5 / { } wasm:opcode:*:before { k++; }",
    "wasm:opcode:*:entry|exit|after { report unshared var c: u32; c++; }",
];

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(pick) = u8::arbitrary(&mut u) else {
        return;
    };
    let Ok(config) = wasm_smith::Config::arbitrary(&mut u) else {
        return;
    };
    let config = wasm_smith::Config {
        memory64_enabled: false,
        ..config
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let wasm = module.to_bytes();
    let src = SCRIPTS[pick as usize % SCRIPTS.len()];
    let script = wham_lang::compile(src).0.expect("fuzz scripts compile");
    if let Err(wham_rewrite::Error::Internal(e)) =
        wham_rewrite::instrument(&script, &wasm, &Default::default())
    {
        panic!("internal error for script `{src}`: {e}");
    }
});
