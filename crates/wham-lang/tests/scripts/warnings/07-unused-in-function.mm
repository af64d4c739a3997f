// warning: unused local variable `half` in a function
fn scale(x: u64) -> u64 {
    var half: u64 = x / 2;
    return x * 3;
}
var total: u64;
wasm:opcode:i64.add:before {
    total = scale(total);
}
