// warning: unreachable code after `return`
var total: u32;
wasm:opcode:call:before {
    return;
    total++;
}
