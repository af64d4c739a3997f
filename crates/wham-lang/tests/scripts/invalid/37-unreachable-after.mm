// error: `unreachable` has no `after` mode (only before and alt)
var count: u32;
wasm:opcode:unreachable:after {
    count++;
}
