// error: invalid digit `2` in binary literal `0b102`
var bits: u32 = 0b102;
wasm:opcode:nop:before {}
