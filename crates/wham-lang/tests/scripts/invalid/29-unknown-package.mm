// error: unknown package `memory` (memory instructions are events of package `opcode`)
var count: u32;
wasm:memory:grow:before {
    count++;
}
