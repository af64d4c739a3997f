// The probe's mode is not a value (whamm 2.0.1 §4.7).
report var seen: bool;
wasm:opcode:i32.add:after { seen = after; }
