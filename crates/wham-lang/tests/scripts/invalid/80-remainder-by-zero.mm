// error: remainder by zero (`x % 0`)
var rest: u32;
wasm:opcode:call:before {
    var x: u32 = imm0;
    rest = x % 0;
}
