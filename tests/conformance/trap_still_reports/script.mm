// A trap ends the app, and the host still flushes the report.
report var nops: u32;
wasm:opcode:nop:before { nops++; }
