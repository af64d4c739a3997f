// memory.grow's result tells whether it failed.
wasm:opcode:memory.grow:after {
    report unshared var fails: u32;
    report unshared var pages: u32;
    if (failed) { fails++; }
    pages = mem_size(0);
}
