// error: `return true` in a function declared `-> u32`
fn is_big(x: u32) -> u32 {
    return true;
}
var total: u32;
wasm:opcode:call:before {
    total = is_big(imm0);
}
