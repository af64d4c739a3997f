// error: an `i32.const:alt` probe must return `i32`, found a float literal
wasm:opcode:i32.const:alt {
    return 1.5;
}
