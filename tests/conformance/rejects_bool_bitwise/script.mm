// Booleans are not numbers: no bitwise operators on them (whamm 2.0.1 §4.2).
report var flag: bool;
wasm:opcode:nop:before { flag = flag | true; }
