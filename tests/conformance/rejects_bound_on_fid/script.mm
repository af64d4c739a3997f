// Bounds name operands and immediates only; `fid` is known at every site
// (whamm 2.0.1 §2.2).
wasm:opcode:call(fid: u32):before { }
