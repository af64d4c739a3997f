// at_func_end tells a function's final `end` from the ends of blocks and
// ifs; at func:exit it tells the final end from a `return`. (The `end` of
// an if/else is only reached from the else arm: the then arm leaves at
// `else`.)
report var final_ends: u32;
report var inner_ends: u32;
wasm:opcode:end:before / at_func_end / { final_ends++; }
wasm:opcode:end:before / !at_func_end / { inner_ends++; }
wasm:opcode:end:before { report unshared var is_last: bool = at_func_end; }
wasm:func:exit { report unshared var via_end: bool = at_func_end; }
