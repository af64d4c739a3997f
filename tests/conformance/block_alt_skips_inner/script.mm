// A block `alt` replaces the whole construct (whamm 2.0.1 §6.5): its
// `before` probe still runs; nothing inside it, and none of its `entry`,
// `exit` or `after` probes.
report var befores: u32;
report var entries: u32;
report var exits: u32;
report var afters: u32;
report var inside: u32;
report var replaced: u32;
wasm:opcode:block:before { befores++; }
wasm:opcode:block:alt { replaced++; }
wasm:opcode:block:entry { entries++; }
wasm:opcode:block:exit { exits++; }
wasm:opcode:block:after { afters++; }
wasm:opcode:nop:before { inside++; }
