// User functions are compiled once and called from probe bodies.
fn sq(x: u32) -> u32 { return x * x; }
fn clamp(x: i32, lo: i32, hi: i32) -> i32 {
    if (x < lo) { return lo; }
    if (x > hi) { return hi; }
    return x;
}
report var s: u32;
report var clamped: i32;
wasm:opcode:i32.const:before {
    s = s + sq(imm0 as u32);
    clamped = clamped + clamp(imm0, 0, 2);
}
