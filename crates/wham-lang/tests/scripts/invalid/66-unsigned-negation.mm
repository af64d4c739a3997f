// error: unary `-` on unsigned type `u32` (help: write `0 - x`)
var total: u32;
wasm:opcode:call:before {
    var x: u32 = imm0;
    total = -x;
}
