// error: three independent errors in three statements: `u32 + i64` without a cast, non-bool `if` condition, literal `300` out of range for `u8`
var total: u32;
var wide: i64;
var small: u8;
wasm:opcode:call:before {
    total = total + wide;
    if (total) {
        total = 0;
    }
    small = 300;
}
