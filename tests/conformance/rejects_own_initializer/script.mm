// A declaration's initialiser may not read the variable it declares
// (whamm 2.0.1 §3.7).
wasm:opcode:nop:before { var m: u32 = m + 1; }
