// Basic blocks: a block starts at the first instruction, after a branch,
// and at each loop and end; instr_count is the number of instructions in it.
wasm:block:start { report unshared var starts: u32; starts++; }
wasm:block:end {
    report unshared var ends: u32;
    report unshared var size: u32 = instr_count;
    ends++;
}
report var executed: u32;
wasm:block:end { executed = executed + instr_count; }
