// C: the sieve crosses out from each prime p with p*p <= 1000 (11 primes),
// storing one byte per multiple (1411 stores).
report var crossings: u32;
report var marks: u32;
wasm:opcode:call:before / target_fn_name == "cross_out" / { crossings++; }
wasm:opcode:i32.store8:before / fname == "cross_out" / { marks++; }
