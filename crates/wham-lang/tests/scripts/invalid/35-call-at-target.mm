// error: mode `at_target` is only available for branches, not for `call`
var count: u32;
wasm:opcode:call:at_target {
    count++;
}
