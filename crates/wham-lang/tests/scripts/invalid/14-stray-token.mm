// error: unexpected `)` (one closing parenthesis too many)
var count: u32;
wasm:opcode:call:before {
    if (imm0 > 1)) {
        count++;
    }
}
