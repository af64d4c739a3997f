// error: `total` is declared twice in the same scope
wasm:opcode:call:before {
    var total: u32 = imm0;
    var total: u32 = fid;
    if (total > 3) {
        return;
    }
}
