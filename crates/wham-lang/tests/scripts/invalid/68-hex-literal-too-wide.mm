// error: hex literal `0x1FF` has more bits than `u8` holds
var small: u8 = 0x1FF;
wasm:opcode:nop:before {}
