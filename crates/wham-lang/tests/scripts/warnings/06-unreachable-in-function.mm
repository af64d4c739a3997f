// warning: unreachable code after `return` in a function
fn twice(x: u32) -> u32 {
    return x * 2;
    return x + x;
}
var total: u32;
wasm:opcode:call:before {
    total = twice(total);
}
