// `alt` replaces an instruction: a constant result, a call redirected to
// another function, a predicate that decides at run time, a deletion.
report var results: i64;
wasm:opcode:i32.const:alt / imm0 == 5 / { return 50; }
wasm:opcode:call(arg0: i32):alt / arg0 == 2 / { alt_call_by_name("fake"); }
wasm:opcode:i32.mul:alt { return arg0 + arg1; }
wasm:opcode:nop:alt { }
wasm:opcode:drop(arg0: i32):before { results = results * 10000 + (arg0 as i64); }
