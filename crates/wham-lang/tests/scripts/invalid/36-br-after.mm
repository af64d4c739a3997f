// error: `br` never falls through, so it has no `after` mode (use `at_target`)
var count: u32;
wasm:opcode:br:after {
    count++;
}
