// error: missing `}`: the probe body is never closed
var count: u32;
wasm:opcode:call:before {
    count++;
