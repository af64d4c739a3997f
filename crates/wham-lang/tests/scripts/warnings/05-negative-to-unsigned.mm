// warning: negative literal `-1` assigned to `u32` wraps to 4294967295
var sentinel: u32 = -1;
wasm:opcode:call:before / imm0 != sentinel / {
    sentinel = imm0;
}
