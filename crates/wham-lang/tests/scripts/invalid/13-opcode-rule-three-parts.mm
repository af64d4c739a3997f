// error: opcode events need a mode: `wasm:opcode:call` has only three parts
var count: u32;
wasm:opcode:call {
    count++;
}
