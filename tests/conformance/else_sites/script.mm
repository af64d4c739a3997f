// Probes on `else` are sited at the `else` instruction in every mode:
// `before` runs when the then arm reaches it, `entry` when the else arm
// starts.
wasm:opcode:else:before { report unshared var reached: u32; reached++; }
wasm:opcode:else:entry { report unshared var entered: u32; entered++; }
