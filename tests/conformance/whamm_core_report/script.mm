// The original's report probes work unchanged: `wasm:report` replaces the
// default report and prints through the built-in whamm_core.
use whamm_core;
var edges: map<(u32, u32), u32>;
var unused: map<u32, u32>;
var calls: u64;
wasm:opcode:call:before {
    edges[(fid, imm0)]++;
    calls++;
}
wasm:report {
    whamm_core.print_map_as_csv(0);
    whamm_core.print_map(1);
    whamm_core.puts("calls: ".addr(), "calls: ".len());
    whamm_core.putu64(calls);
    whamm_core.putc(10);
    whamm_core.putbool(calls > 3);
    whamm_core.putc(10);
}
