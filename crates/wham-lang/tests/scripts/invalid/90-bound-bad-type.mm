// error: unknown type `int` in a typed bound (use `i32`)
var count: u32;
wasm:opcode:call(arg0: int):before {
    count++;
}
