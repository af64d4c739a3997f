// covers: `after` probes reading and assigning resN, argN still readable after the instruction, memory.grow's `failed`
report var grow_failures: u32;
var last_loaded: i64;

wasm:opcode:i64.load:after {
    last_loaded = res0;
    if (res0 < 0) {
        res0 = 0;
    }
}
wasm:opcode:call(res0: i32):after / imm0 == 4 / {
    res0 = res0 * 2;
}
wasm:opcode:memory.grow:after {
    if (failed) {
        grow_failures++;
    }
}
wasm:opcode:i32.div_s:after / arg0 == 1 / {
    // dividing by one gives back the dividend
    res0 = arg1;
}
