// alt on a construct replaces all of it, up to its `end`. With a predicate
// known only at run time the construct stays, inside a block of the alt's,
// and runs when the predicate is false: its branches to labels outside it
// still get there. A `resN` bound gives the type of the construct's result.
report var ticks: u32;
report var calls: u32;
report var value: i32;
wasm:func:entry / fname == "count" / { calls++; }
// The second call's loop is skipped: it never bumps the global.
wasm:opcode:loop:alt / calls == 2 / { }
wasm:opcode:global.set:before { ticks++; }
// The block with a result is replaced everywhere by one giving 42.
wasm:opcode:block(res0: i32):alt { return 42; }
// An if/else replaced as a whole: its condition is arg0 (1 here).
wasm:opcode:if(res0: i32):alt / fname == "sign" / { return arg0 == 1 ? 100 : 200; }
wasm:opcode:drop(arg0: i32):before { value = value * 1000 + arg0; }
