// C: a 16x16 matrix product calls dot 256 times, 16 multiplies each.
report var dots: u32;
report var multiplies: u32;
wasm:func:entry / fname == "dot" / { dots++; }
wasm:opcode:f64.mul:before / fname == "dot" / { multiplies++; }
