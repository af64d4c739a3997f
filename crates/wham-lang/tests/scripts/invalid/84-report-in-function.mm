// error: `report` variables are not allowed in functions
fn tick(x: u32) -> u32 {
    report var seen: u32 = x;
    return seen;
}
var total: u32;
wasm:opcode:call:before {
    total = tick(imm0);
}
