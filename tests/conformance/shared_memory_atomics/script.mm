// A program with a shared memory loads and is instrumented on both targets;
// the instrumentation's own memories stay unshared beside it.
report var rmw: u32;
report var waited: i32;
wasm:opcode:*atomic.rmw*:before { rmw++; }
wasm:opcode:memory.atomic.wait32:after { waited = res0; }
