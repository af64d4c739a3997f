// Floats in the report print as the original prints them (Rust's `{:+e}`):
// a sign, the shortest digits that read back as the same value, and the
// exponent. f32 values get the shortest digits for f32.
report var product: f64;
report var quotient: f64;
report var sum64: f64;
report var sum32: f32;
wasm:opcode:f64.mul:after { product = res0; }
wasm:opcode:f64.div:after { quotient = res0; }
wasm:opcode:f64.add:after { sum64 = res0; }
wasm:opcode:f32.add:after { sum32 = res0; }
wasm:opcode:f32.sqrt:after { report unshared var root: f32; root = res0; }
wasm:opcode:f64.div:before {
    report unshared var operands: (f64, f64);
    operands = (arg0, arg1); // arg0 is the top of the stack: the divisor
}
