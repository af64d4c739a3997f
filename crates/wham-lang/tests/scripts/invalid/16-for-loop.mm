// error: `for` loops are not part of the language
var count: u32;
wasm:opcode:call:before {
    for (count = 0; count < 10; count++) {
        count++;
    }
}
