report var calls: u32;
wasm:opcode:br_if:before {
    report unshared var taken: u32;
    report unshared var total: u64;
    total++;
    if (arg0 != 0) { taken++; }
}
wasm:opcode:call:before { calls++; }
