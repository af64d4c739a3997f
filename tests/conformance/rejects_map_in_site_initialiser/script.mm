// A per-site initialiser may not read maps, which live in the probe
// (whamm 2.0.1 §5), even per-site ones.
wasm:opcode:call:before {
    report unshared var seen: map<u32, u32>;
    report unshared var first: u32 = seen[0];
}
