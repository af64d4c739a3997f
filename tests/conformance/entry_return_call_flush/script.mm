// An entry function that leaves by a tail call: the report is still printed,
// once, and counts what the callee did (whamm 2.0.1 §8.1).
report var adds: u32;
report var tail_calls: u32;
wasm:opcode:i32.add:before { adds++; }
wasm:opcode:return_call:before { tail_calls++; }
