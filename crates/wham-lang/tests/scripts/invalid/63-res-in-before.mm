// error: `res0` is only bound in `after` probes (the result does not exist yet in `before`)
var last: i32;
wasm:opcode:i32.load:before {
    last = res0;
}
