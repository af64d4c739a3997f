// error: `return expr;` is only allowed in `alt` probes; after probes change results by assigning `res0`
wasm:opcode:i32.add:after {
    return res0 + 1;
}
