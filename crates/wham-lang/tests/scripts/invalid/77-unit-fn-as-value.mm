// error: function `note` returns no value but is used as a `u32`
fn note(x: u32) {
    if (x > 0) {
        return;
    }
}
var total: u32;
wasm:opcode:call:before {
    total = note(imm0);
}
