// A br or br_if to the function's outermost label, from inside nested
// blocks, leaves the function: func:exit runs there, only when the branch
// is taken. Branches to inner blocks are no exits.
wasm:func:exit { report unshared var left: u32; left++; }
