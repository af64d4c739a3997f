// error: function `twice` is defined twice
fn twice(x: u32) -> u32 {
    return x * 2;
}
fn twice(x: u32) -> u32 {
    return x + x;
}
var count: u32;
wasm:opcode:call:before {
    count = twice(count);
}
