// error: the branches of `?:` have different types (`u32` and `str`)
var total: u32;
wasm:opcode:call:before {
    total = imm0 > 2 ? imm0 : "many";
}
