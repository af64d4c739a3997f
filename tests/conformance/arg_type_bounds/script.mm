// Type bounds on arguments select the call sites whose operands match.
wasm:opcode:call(arg0: i64):before {
    report unshared var last: i64;
    last = arg0;
}
report var all_calls: u32;
wasm:opcode:call:before { all_calls++; }
