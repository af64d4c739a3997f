// No site matches and there is no global report variable: rewritten, the
// program prints no report at all (as whamm 2.0.1); a monitor prints the
// banner and the column line, as its engine does.
wasm:opcode:unreachable:before { report unshared var hits: u32; hits++; }
