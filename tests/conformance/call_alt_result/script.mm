// A call's alt can supply the result: a `resN` bound in the rule says
// its type (and limits the probe to calls with that result), and
// `return` gives the value in place of the call's.
report var dropped: i32;
wasm:opcode:call(res0: i32):alt / imm0 == 1 / { return 20; }
wasm:opcode:drop(arg0: i32):before { dropped = dropped * 100 + arg0; }
