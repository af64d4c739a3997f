// error: `arg0` can only be assigned in a `before` probe; this is an `after` probe
wasm:opcode:i32.add:after {
    arg0 = 1;
}
