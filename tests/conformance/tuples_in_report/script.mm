// Tuples: declared, built, read and written element-wise, nested, and
// printed in the report as `(a; b; (c; d))`.
report var last: (i32, i32, bool);
report var nested: (u32, (str, i64));
wasm:opcode:i32.add:before {
    report unshared var operands: (i32, i32);
    operands = (arg1, arg0);
    last = (arg1, arg0, arg1 < arg0);
    nested.0 = nested.0 + 1;
    nested.1.0 = "adds";
    nested.1.1 = nested.1.1 + ((arg0 + arg1) as i64);
}
