// error: `&` needs integer operands, found `f64`
var bits: f64;
wasm:opcode:f64.add:before {
    bits = arg0 & arg1;
}
