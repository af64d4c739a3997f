// An unclosed `[` in a rule part is a parse error (whamm 2.0.1 §3.5; 1.0
// panicked).
wasm:opcode:i32.[add:before { }
