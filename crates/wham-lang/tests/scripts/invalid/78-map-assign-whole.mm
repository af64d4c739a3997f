// error: assigning `u32` to a variable of type `map<u32, u32>`
var counts: map<u32, u32>;
wasm:opcode:call:before {
    counts = imm0;
}
