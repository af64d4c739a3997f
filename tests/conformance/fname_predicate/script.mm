// Static facts fold per site: only sites where the predicate can be true
// get code (and a report row).
wasm:opcode:i32.const:before / fname.starts_with("alpha") && imm0 > 1 / {
    report unshared var hits: u32;
    hits++;
}
