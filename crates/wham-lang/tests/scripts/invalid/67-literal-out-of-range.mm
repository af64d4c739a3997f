// error: literal `256` does not fit in `u8` (0..=255)
var small: u8 = 256;
wasm:opcode:nop:before {}
