// Assigning argN in `before` and resN in `after` changes what the program
// computes: here the branch is never taken and the sum becomes 100.
report var picked: i32;
report var sum: i32;
wasm:opcode:br_if:before { arg0 = 0; }
wasm:opcode:i32.add:after { res0 = 100; }
wasm:opcode:call(res0: i32):after { picked = res0; }
wasm:opcode:drop:before / fname == "" / { sum = sum + 0; }
wasm:opcode:drop(arg0: i32):before { sum = arg0; }
