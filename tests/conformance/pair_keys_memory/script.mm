// A memory-access map keyed by `(i32, bool)` (address, is it a write):
// tuple keys print `(a,b)` with `true`/`false` and sort element by element,
// signed (whamm 2.0.1 §8.6).
report var accesses: map<(i32, bool), u32>;
wasm:opcode:i32.store:before { accesses[(addr as i32, true)]++; }
wasm:opcode:i32.load:before { accesses[(addr as i32, false)]++; }
