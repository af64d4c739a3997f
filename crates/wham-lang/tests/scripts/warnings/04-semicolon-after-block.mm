// warning: unnecessary `;` after an if/else block
var total: u32;
wasm:opcode:call:before {
    if (imm0 == 0) {
        total++;
    } else {
        total--;
    };
}
