// error: `unshared` is given twice on one declaration
wasm:opcode:call:before {
    unshared report unshared var hits: u32;
    hits++;
}
