// error: function `scale` takes 2 arguments but 1 was given
fn scale(x: u32, factor: u32) -> u32 {
    return x * factor;
}
var total: u32;
wasm:opcode:call:before {
    total = scale(imm0);
}
