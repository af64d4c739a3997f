// Plain select (0x1B) and typed select (0x1C, the event typed_select): the
// condition is arg0 and any non-zero value picks the first operand (arg2);
// a bound on the operands' type filters the sites (operands are still
// readable in after).
report var plain: i64;
report var typed: i64;
report var firsts: u32;
report var codes: map<str, u32>;
wasm:opcode:select(arg1: i32, arg2: i32):before {
    plain = plain * 10 + ((arg0 != 0 ? arg2 : arg1) as i64);
}
wasm:opcode:typed_select(arg1: i64, arg2: i64):after {
    typed = typed * 100 + (arg0 != 0 ? arg2 : arg1);
}
wasm:opcode:typed_select(arg1: i32, arg2: i32):before {
    typed = typed * 100 + ((arg0 != 0 ? arg2 : arg1) as i64);
}
wasm:opcode:select|typed_select:before {
    if (arg0 != 0) { firsts++; }
    codes[opname] = bytecode;
}
