// An explicitly named opcode that does not provide the variable is an
// error (whamm 2.0.1 §2.4; a glob rule silently skips such sites).
report var x: u32;
wasm:opcode:nop:before { x = arg0; }
