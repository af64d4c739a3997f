// error: argument 1 of `scale` expects `u32`, found `str`
fn scale(x: u32, factor: u32) -> u32 {
    return x * factor;
}
var total: u32;
wasm:opcode:call:before {
    total = scale(fname, 2);
}
