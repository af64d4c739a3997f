// error: hex literal `0x` has no digits
var mask: u32 = 0x;
wasm:opcode:nop:before {}
