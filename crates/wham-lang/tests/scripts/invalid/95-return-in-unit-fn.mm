// error: function `note` has no result type, so `return 1;` cannot return a value
fn note(x: u32) {
    if (x > 0) {
        return 1;
    }
}
wasm:opcode:call:before {
    note(imm0);
}
