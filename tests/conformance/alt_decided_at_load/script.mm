// `alt` probes whose predicates only read static values, so both targets
// decide them when the program is loaded: a constant replaced, a
// multiplication turned into an addition, `nop`s deleted.
report var results: i64;
report var nops: u32;
wasm:opcode:i32.const:alt / imm0 == 5 / { return 50; }
wasm:opcode:i32.mul:alt { return arg0 + arg1; }
wasm:opcode:nop:alt { nops++; }
wasm:opcode:drop(arg0: i32):before { results = results * 10000 + (arg0 as i64); }
