// `drop_args` belongs to `alt` probes (whamm 2.0.1 §6.1).
wasm:opcode:call:before { drop_args(); }
