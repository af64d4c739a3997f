// C: insertion sort swaps once per inversion of its input (9804 for this
// seed and size, computed independently).
report var swaps: u32;
wasm:opcode:call:before / target_fn_name == "swap" / { swaps++; }
