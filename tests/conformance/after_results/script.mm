// `after` probes read results (resN) and still see the operands (argN).
report var last_sq: i32;
report var sum_adds: i64;
wasm:opcode:call(res0: i32):after { last_sq = res0; }
wasm:opcode:i32.add:after { sum_adds = sum_adds + (res0 as i64) + (arg0 as i64) + (arg1 as i64); }
wasm:opcode:i32.mul:after { report unshared var prod: i32; prod = res0; }
