// `wasm:trap` (engine target only): the engine tells the monitor how and
// where the program trapped, before the report; counts made until then
// are still reported.
report var calls: u32;
report var traps: u32;
report var kind: str;
report var place: u32;
wasm:opcode:call:before { calls++; }
wasm:trap { traps++; kind = trap_kind; place = fid * 1000 + pc; }
