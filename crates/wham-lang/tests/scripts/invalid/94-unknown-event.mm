// error: unknown event `jump` in package `opcode`
var count: u32;
wasm:opcode:jump:before {
    count++;
}
