// Instruction counts around loops: the loop instruction runs once, its
// body five times, the back edge four times; the inner ends are reached
// only by branches that skip them. 1 + 1 + 5*7 + 4 + 0 + 0 + 1 + 1 = 43.
report var count: u64;
wasm:opcode:*:before { count++; }
wasm:opcode:loop|end|br:before {
    report unshared var runs: u32;
    runs++;
}
