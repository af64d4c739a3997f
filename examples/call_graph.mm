// Call graph: how often each function calls each other function directly.
report var edges: map<(u32, u32), u32>;

wasm:opcode:call:before {
    edges[(fid, imm0)]++;
}
