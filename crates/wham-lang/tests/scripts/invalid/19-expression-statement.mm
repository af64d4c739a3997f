// error: an expression that is not a call cannot be a statement (`count + 1;`)
var count: u32;
wasm:opcode:call:before {
    count + 1;
}
