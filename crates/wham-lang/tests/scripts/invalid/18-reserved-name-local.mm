// error: `local3` is reserved for bound locals and cannot name a declaration
wasm:opcode:call:before {
    var local3: u32 = imm0;
    if (local3 > 2) {
        return;
    }
}
