// error: three independent errors: undefined variable `totl` (first probe), undefined function `report_it` (second probe), duplicate declaration of `x` (third probe)
var total: u32;
wasm:opcode:call:before {
    totl++;
}
wasm:opcode:return:before {
    report_it(total);
}
wasm:opcode:nop:before {
    var x: u32 = 1;
    var x: u32 = 2;
    total = total + x;
}
