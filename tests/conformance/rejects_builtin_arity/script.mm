// The arity of built-in functions is checked (whamm 2.0.1 §4.4).
report var pages: u32;
wasm:opcode:nop:before { pages = mem_size(APP_MEMID, 1); }
