// error: a type parameter used in a probe without a generic header
wasm:opcode:local.set(arg0: i32):before {
    report var last: T;
    last = arg0 as T;
}
