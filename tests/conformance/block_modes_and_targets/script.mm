// Modes of block-structured instructions (entry: first thing inside,
// exit: last thing inside when it falls through, after: after the end
// however it was left) and at_target on branches (when taken).
report var loop_entries: u32;
report var loop_exits: u32;
report var block_exits: u32;
report var block_after: u32;
report var taken_out: u32;
report var back_edges: u32;
report var then_entries: u32;
report var else_entries: u32;
report var then_exits: u32;
report var else_exits: u32;
report var if_after: u32;
wasm:opcode:loop:entry { loop_entries++; }
wasm:opcode:loop:exit { loop_exits++; }
wasm:opcode:block:exit { block_exits++; }
wasm:opcode:block:after { block_after++; }
wasm:opcode:br_if:at_target { taken_out++; }
wasm:opcode:br:at_target { back_edges++; }
wasm:opcode:if:entry { then_entries++; }
wasm:opcode:else:entry { else_entries++; }
wasm:opcode:if:exit { then_exits++; }
wasm:opcode:else:exit { else_exits++; }
wasm:opcode:if:after { if_after++; }
