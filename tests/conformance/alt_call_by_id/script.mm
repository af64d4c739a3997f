// alt_call_by_id calls another function, numbered with the imports counted,
// with the original arguments; other calls are left alone.
report var results: i64;
wasm:opcode:call:alt / imm0 == 2 || imm0 == 4 / { alt_call_by_id(imm0 == 2 ? 3 : 5); }
wasm:opcode:drop(arg0: i32):before { results = results * 100 + (arg0 as i64); }
