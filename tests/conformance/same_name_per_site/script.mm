// Two probes on one event may declare per-site variables of the same name:
// each keeps its own state, and its rows keep the declared name and the
// probe's own number (whamm 2.0.1 §10.5).
wasm:opcode:call:before { report unshared var count: u32; count++; }
wasm:opcode:call:before / fid == 1 / { report unshared var count: u32; count = count + 10; }
