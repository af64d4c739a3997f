// Leaving through WASI `proc_exit`: the report is printed after the exiting
// call's own probes ran, so they count it (whamm 2.0.1 §8.1), including
// the function exit it makes.
report var calls: u32;
wasm:opcode:call:before { calls++; }
wasm:func:exit { report unshared var exits: u32; exits++; }
