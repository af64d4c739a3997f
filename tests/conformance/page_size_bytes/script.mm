// `page_size` is in bytes (whamm 2.0.1 §11; its documentation says KiB):
// 65536 for a standard memory. The engine target refuses it (the monitor is
// compiled without the program), as whamm's engine target does.
report var page_bytes: u32 = page_size(APP_MEMID);
wasm:opcode:nop:before { page_bytes = page_bytes + 0; }
