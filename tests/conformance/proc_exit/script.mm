// The report is flushed before the program exits through WASI proc_exit.
report var nops: u32;
wasm:opcode:nop:before { nops++; }
