// covers: maps with primitive keys and values (u32, bool, u8, i64, f32, i16, u64, f64), element reads and writes, ++/-- on elements, missing keys reading as zero
var calls: map<u32, u32>;
var by_flag: map<bool, u64>;
var by_byte: map<u8, i16>;
var weights: map<i64, f64>;
var scaled: map<f32, f32>;

wasm:opcode:call:before {
    calls[imm0]++;
    if (calls[imm0] > 100) {
        calls[imm0] = 0;
        calls[fid]--;
    }
    by_flag[imm0 == fid]++;
    by_byte[(imm0 & 0xFF) as u8] = -3;
    weights[imm0 as i64] = weights[imm0 as i64] + 0.5;
    scaled[1.5] = scaled[2.5] * 2.0;
    // a key that was never written reads as 0
    var never_written: u32 = calls[999_999];
    if (never_written != 0) {
        by_byte[0] = 1;
    }
}
