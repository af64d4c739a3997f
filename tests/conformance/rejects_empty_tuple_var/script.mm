// A variable of the empty tuple type has no value (whamm 2.0.1 §4.6).
wasm:opcode:nop:before { var nothing: (); }
