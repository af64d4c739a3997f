// warning: unused local variable `scratch` (prefix it with `_` to silence the warning)
var total: u32;
wasm:opcode:call:before {
    var scratch: u32 = imm0 * 2;
    var _ignored: u32 = imm0;
    total++;
}
