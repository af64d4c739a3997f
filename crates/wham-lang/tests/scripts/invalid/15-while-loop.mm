// error: `while` loops are not part of the language
var count: u32;
wasm:opcode:call:before {
    while (count < 10) {
        count++;
    }
}
