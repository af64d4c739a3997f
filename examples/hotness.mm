// Hotness: how often each instruction runs.
wasm:opcode:*:before {
    report unshared var count: u64;
    count++;
}
