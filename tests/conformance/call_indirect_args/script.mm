// call_indirect's operands: arg0 is the table slot, arg1 the callee's last
// argument, arg2 its first; assigning arg1 changes what the callee gets,
// and res0 in after is what it returned.
report var trace: i64;
wasm:opcode:call_indirect(arg1: i32, arg2: i32):before {
    report unshared var args: (i32, i32, i32);
    args = (arg2, arg1, arg0);
    if (arg0 == 1 && arg2 == 50) { arg1 = 0; }
}
wasm:opcode:call_indirect(res0: i32):after {
    trace = trace * 100 + (res0 as i64);
}
