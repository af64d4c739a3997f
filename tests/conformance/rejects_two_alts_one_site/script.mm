// Two `alt` probes cannot both replace one instruction (whamm 2.0.1 §6.5).
wasm:opcode:i32.add:alt { return arg0; }
wasm:opcode:i32.add:alt { return arg1; }
