// select's condition is arg0; the operands' type filters sites.
report var first: u32;
report var total: u32;
wasm:opcode:select(arg1: i32):before {
    total++;
    if (arg0 != 0) { first++; }
}
