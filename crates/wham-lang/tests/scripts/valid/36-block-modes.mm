// covers: entry, exit, before and after modes of block-structured instructions (block, loop, if, else, try_table) and the condition of `if`
report var loop_iterations: u64;
report var loop_exits: u64;
var then_taken: u32;
var then_entered: u32;
var else_entered: u32;
var blocks_done: u32;
var blocks_left: u32;
var guarded: u32;

wasm:opcode:loop:entry { loop_iterations++; }
wasm:opcode:loop:exit { loop_exits++; }
wasm:opcode:if:before / arg0 != 0 / { then_taken++; }
wasm:opcode:if:entry { then_entered++; }
wasm:opcode:else:entry { else_entered++; }
wasm:opcode:block:after { blocks_done++; }
wasm:opcode:block:exit { blocks_left++; }
wasm:opcode:try_table:entry { guarded++; }
