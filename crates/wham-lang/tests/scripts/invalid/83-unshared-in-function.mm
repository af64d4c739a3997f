// error: `unshared` variables are not allowed in functions (they belong to a probe's match site)
fn tick() -> u32 {
    unshared var n: u32;
    n++;
    return n;
}
var total: u32;
wasm:opcode:call:before {
    total = tick();
}
