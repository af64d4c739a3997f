// Per-site initialisers run when the probe is set up, before the program
// (whamm 2.0.1): they may read globals, earlier per-site variables, memory
// sizes (the initial ones) and call libraries, `@static` or not.
use lib;

var base: u32 = 40;
report var pages_at_store: u32;

wasm:opcode:memory.grow:after {
    report var pages_before: u32 = mem_size(0);
    report var site: u32 = fid * 1000 + pc;
    report var from_global: u32 = base + 2;
    report var from_lib: i32 = lib.twice(site as i32);
    report var folded: i32 = @static lib.twice(lib.seven());
    report var from_earlier: u32 = pages_before * 10;
    report var static_of_global: i32 = @static lib.twice(base as i32);
    report var pages_after: u32;
    pages_after = mem_size(0);
}

wasm:opcode:i32.store:before {
    pages_at_store = mem_size(0);
}
