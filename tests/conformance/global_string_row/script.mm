// A global `str` report variable prints with two global ids and the type
// `(i32; i32)` (whamm 2.0.1 §8.4), among the other globals in name order.
report var last: str;
report var calls: u32;
wasm:opcode:call:before { last = fname; calls++; }
