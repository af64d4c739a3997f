// covers: 3-part mode-less rules wasm:func:entry, wasm:func:exit, wasm:block:start, wasm:block:end and its instr_count
report var depth: i32;
report var max_depth: i32;
report var blocks: u64;
report var instrs: u64;

wasm:func:entry {
    depth++;
    if (depth > max_depth) {
        max_depth = depth;
    }
}
wasm:func:exit {
    depth--;
}
wasm:block:start {
    blocks++;
}
wasm:block:end {
    instrs = instrs + (instr_count as u64);
}
