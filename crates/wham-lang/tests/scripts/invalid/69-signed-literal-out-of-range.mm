// error: literal `-129` does not fit in `i8` (-128..=127)
var tiny: i8 = -129;
wasm:opcode:nop:before {}
