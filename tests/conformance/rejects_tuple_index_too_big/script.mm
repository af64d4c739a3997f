// A tuple index that does not fit u32 (whamm 2.0.1 §3.6).
wasm:opcode:nop:before {
    var pair: (u32, u32);
    var x: u32 = pair.4294967296;
}
