//! The rewriter on random valid modules (wasm-smith): it never panics and
//! never reports an internal error; whatever it returns validates (the
//! library validates every output before returning it).

use arbitrary::Unstructured;

const SCRIPTS: &[&str] = &[
    "report var n: u64; wasm:opcode:*:before { n++; }",
    "wasm:opcode:*:before { report unshared var c: u32; c++; }",
    "wasm:opcode:br_if|if:before { report unshared var t: u32; if (arg0 != 0) { t++; } }",
    "report var e: map<(u32, u32), u32>; wasm:opcode:call:before { e[(fid, imm0)]++; }",
    "wasm:func:entry { report unshared var n: u32; n++; } wasm:func:exit { report unshared var x: u32; x++; }",
    "wasm:block:start { report unshared var s: u32; s++; } wasm:block:end { report unshared var e: u32 = instr_count; }",
    "report var loads: u64; wasm:opcode:*load*:before { loads = loads + (effective_addr as u64); }",
    "wasm:opcode:i32.add:after { res0 = res0 + 1; } wasm:opcode:i32.const:alt / imm0 == 0 / { return 1; }",
    // Whole constructs replaced where the site says so, or woven inside
    // the alt's block where the program's state decides.
    "wasm:opcode:block|loop|if|try_table:alt / opidx % 3 == 1 / { }",
    "var k: u32; wasm:opcode:block|loop|if:alt / k > 5 / { } wasm:opcode:*:before { k++; }",
    // Shadows of the tables the program writes.
    "report var r: map<i32, u32>; wasm:opcode:call_indirect|table.get:before { r[resolved_fid]++; }",
];

#[test]
fn random_modules_never_break_the_rewriter() {
    let scripts: Vec<_> = SCRIPTS
        .iter()
        .map(|s| wham_lang::compile(s).0.expect("test script compiles"))
        .collect();
    let mut tried = 0;
    for seed in 0..300u64 {
        // deterministic pseudo-random bytes per seed
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let mut u = Unstructured::new(&bytes);
        let config = wasm_smith::Config {
            max_memories: 1,
            memory64_enabled: false,
            exceptions_enabled: false,
            ..Default::default()
        };
        let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
            continue;
        };
        let wasm = module.to_bytes();
        tried += 1;
        for (k, script) in scripts.iter().enumerate() {
            if let Err(wham_rewrite::Error::Internal(e)) =
                wham_rewrite::instrument(script, &wasm, &Default::default())
            {
                let path = std::env::temp_dir().join(format!("wham-random-{seed}.wasm"));
                std::fs::write(&path, &wasm).unwrap();
                panic!(
                    "seed {seed}, script {k}: {e} (module written to {})",
                    path.display()
                );
            }
        }
    }
    assert!(tried > 100, "only {tried} modules generated");
}
