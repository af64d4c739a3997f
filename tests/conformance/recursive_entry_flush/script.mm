// An entry function that calls itself: the report is printed once, after
// the outermost activation returns (whamm 2.0.1 §8.1), with every
// activation's work counted.
report var adds: u32;
wasm:opcode:i32.add:before { adds++; }
wasm:func:exit / fname == "main" / { report unshared var exits: u32; exits++; }
