// covers: a probe local shadowing a global, block-local variables in sibling if/else blocks, globals shared between probes
var count: u32;
var limit: u32 = 10;

wasm:opcode:call:before {
    count++;
}
wasm:opcode:return:before {
    // a probe local may shadow the global `count`
    var count: u32 = 5;
    if (count < limit) {
        var inner: u32 = count * 2;
        limit = inner;
    } else {
        var inner: u32 = 0;
        limit = inner + 1;
    }
}
