// error: four independent errors: unknown event `i32.addd` (did you mean `i32.add`?), `res0` in a before probe, assignment to read-only `pc`, `1 / 0` in a global initialiser
var ratio: i32 = 1 / 0;
var last: i32;
wasm:opcode:i32.addd:before {
    last = 1;
}
wasm:opcode:i32.load:before {
    last = res0;
}
wasm:opcode:call:before {
    pc = 0;
}
