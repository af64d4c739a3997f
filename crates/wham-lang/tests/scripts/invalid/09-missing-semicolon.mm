// error: expected `;` after the declaration
var count: u32
wasm:opcode:call:before {
    count++;
}
