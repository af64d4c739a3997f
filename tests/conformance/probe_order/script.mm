// Probes at one site run in script order; func:entry runs before the
// first instruction's probes, func:exit before the final end's.
var step: u32;
wasm:opcode:nop:before { report unshared var second: u32; step++; second = step; }
wasm:func:entry { report unshared var first: u32; step++; first = step; }
wasm:opcode:nop:before { report unshared var third: u32; step++; third = step; }
wasm:func:exit { report unshared var last: u32; step++; last = step; }
