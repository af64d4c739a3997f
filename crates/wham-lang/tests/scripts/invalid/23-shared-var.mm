// error: `shared var` is not supported yet
wasm:opcode:call:before {
    shared var total: u32;
}
