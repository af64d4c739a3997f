// error: `v128` values are opaque: `+` is not defined on them
var last: v128;
wasm:opcode:i32x4.add:before {
    last = arg0 + arg1;
}
