// error: `u32 + i32`: operands of different types need an explicit cast (help: add `as u32`)
var total: u32;
wasm:opcode:i32.add:before {
    var delta: i32 = arg0;
    total = total + delta;
}
