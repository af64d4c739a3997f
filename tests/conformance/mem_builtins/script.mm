// Memory built-ins (whamm 2.0.1 §5, §11): `mem_size` in an initialiser is
// the app memory's initial size, in a probe its size then; `APP_MEMID` is
// the index of the app's first memory.
report var initial_pages: u32 = mem_size(APP_MEMID);
report var app_mem: u32 = APP_MEMID;
report var pages_now: u32;
wasm:opcode:memory.grow:after { pages_now = mem_size(APP_MEMID); }
