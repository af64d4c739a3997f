// A br_table that picks the function's outermost label leaves the
// function: func:exit runs there only for the indices that pick it.
wasm:func:exit { report unshared var left: u32; left++; }
wasm:func:entry { report unshared var entered: u32; entered++; }
