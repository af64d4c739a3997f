// covers: a complete tool: instruction and basic-block coverage with per-site report bools; `after` on non-final `end`
wasm:opcode:*:before / opname != "end" / {
    report var reached: bool;
    reached = true;
}
wasm:opcode:end:after / !at_func_end / {
    report var reached_end: bool;
    reached_end = true;
}
wasm:block:end {
    report var block_hits: u64;
    report var size: u32 = instr_count;
    block_hits++;
}
