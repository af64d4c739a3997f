// `before`, `after` and one `alt` at one instruction all run (whamm 2.0.1
// §6.5): `before` sees the operands, the `alt` body replaces the
// instruction, and `after` sees the result the `alt` supplied.
report var befores: u32;
report var afters: u32;
report var result: i32;
wasm:opcode:i32.mul:before { befores++; }
wasm:opcode:i32.mul:alt { return arg0 + arg1; }
wasm:opcode:i32.mul:after { afters++; result = res0; }
