// error: global `count` is declared twice
var count: u32;
var count: u64;
wasm:opcode:call:before {
    count++;
}
