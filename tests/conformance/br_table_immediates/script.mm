// `br_table` immediates as whamm 2.0.1 numbers them on its rewriting target
// (§7.1): imm0 ... imm(n-1) are the labels and imm(n) the default, on both
// of our targets (Wizard numbers them from a count instead).
wasm:opcode:br_table(imm0: u32, imm1: u32, imm2: u32):before {
    report unshared var labels: (u32, u32, u32);
    report unshared var counts: (u32, u32);
    labels = (imm0, imm1, imm2);
    counts = (num_targets, default_target);
}
