// error: a type parameter that no operand bound decides
wasm:opcode:local.set<T: int>:before {
    report var n: u32;
    n++;
}
