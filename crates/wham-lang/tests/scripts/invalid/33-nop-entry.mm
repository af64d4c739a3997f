// error: mode `entry` is not available for `nop` (only block-structured instructions have entry/exit)
var count: u32;
wasm:opcode:nop:entry {
    count++;
}
