// covers: integer literals: decimal, `_` separators, hex and binary with both prefix cases, negative decimals, hex bit patterns, defaults of untyped literals (i32, then i64, then u64)
var dec: u32 = 1_000_000;
var hex_lo: u32 = 0xdead_beef;
var hex_up: u16 = 0XFFFF;
var bin_lo: u8 = 0b1010_0101;
var bin_up: i8 = 0B0111_1111;
var pattern: i32 = 0xFFFF_FFFF;
var neg: i16 = -32_768;
var wide: i64 = -9_000_000_000;
var top: u64 = 18_446_744_073_709_551_615;

wasm:opcode:i32.const:before {
    // without context 7 is an i32 and 5_000_000_000 an i64
    var small: i64 = 7 as i64;
    var large: i64 = 5_000_000_000 as i64;
    var huge: u64 = 10_000_000_000_000_000_000 as u64;
    if (imm0 == pattern) {
        wide = wide + small + large + (neg as i64) + (bin_up as i64);
        top = top - huge - (dec as u64) - (hex_lo as u64) - (hex_up as u64) - (bin_lo as u64);
    }
}
