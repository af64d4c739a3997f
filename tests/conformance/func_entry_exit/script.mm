// Every way out of a function is an exit: return, the final end, and a
// branch to the function's own label.
wasm:func:entry { report unshared var entered: u32; entered++; }
wasm:func:exit { report unshared var left: u32; left++; }
