// error: a user function cannot be named `memcpy`: that is a compiler-provided function
fn memcpy(a: u32, b: u32) -> u32 {
    return a + b;
}
var count: u32;
wasm:opcode:call:before {
    count++;
}
