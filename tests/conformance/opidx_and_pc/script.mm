// opidx counts instructions (0, 1, 2, ...) while pc counts bytes from the
// start of the body, the locals declaration and multi-byte immediates
// included.
report var pc_of: map<u32, u32>;
report var name_of: map<u32, str>;
wasm:opcode:*:before / fname == "f" / {
    report unshared var index: u32 = opidx;
    pc_of[opidx] = pc;
    name_of[opidx] = opname;
}
