// error: `arg0` is reserved for bound operands and cannot name a declaration
var arg0: i32 = 0;
wasm:opcode:nop:before {}
