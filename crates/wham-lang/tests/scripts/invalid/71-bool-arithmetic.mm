// error: `+` needs numeric operands, found `bool`
var total: u32;
wasm:opcode:br_if:before {
    var taken: bool = arg0 != 0;
    total = total + taken;
}
