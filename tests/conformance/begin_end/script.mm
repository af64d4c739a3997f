// wasm:begin runs before the program, wasm:end after it.
var n: u32;
report var at_end: u32;
report var at_begin: u32;
wasm:begin { n = 5; at_begin = n; }
wasm:opcode:nop:before { n++; }
wasm:end { at_end = n * 10; }
