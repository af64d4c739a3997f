// error: unknown type `u128`
var wide: u128;
wasm:opcode:nop:before {}
