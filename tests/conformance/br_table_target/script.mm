// br_table: the index taken, with out-of-range indices counted as the default.
wasm:opcode:br_table:before {
    report unshared var size: u32 = num_targets;
    report unshared var first: u32 = imm0;
    report unshared var t0: u32;
    report unshared var t1: u32;
    report unshared var other: u32;
    if (target == 0) { t0++; } elif (target == 1) { t1++; } else { other++; }
}
