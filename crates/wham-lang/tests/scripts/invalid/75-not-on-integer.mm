// error: `!` needs a `bool` operand, found `u32` (use `~` for bitwise not)
var flip: u32;
wasm:opcode:call:before {
    flip = !imm0;
}
