// unreachable:before runs just before the trap; what was counted until then
// is reported, and the call after the trap never happens.
report var checks: u32;
report var hit: (u32, u32);
wasm(local0: i32):func:entry { checks++; }
wasm:opcode:unreachable:before { hit = (fid, pc); }
wasm:opcode:unreachable:before { report unshared var reached: bool; reached = true; }
