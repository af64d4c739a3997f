// error: the `if` condition has type `u32`, expected `bool`
var count: u32;
wasm:opcode:call:before {
    if (count) {
        count = 0;
    }
}
