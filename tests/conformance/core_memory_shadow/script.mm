// A shadow buffer in the built-in whamm_core's memory: mem_alloc gives
// room there, memid(whamm_core) names that memory, and dup_at mirrors
// every bulk write of the program into it -- the program's own memory is
// left as it was.
use whamm_core;
report var mirrored: str;
report var apart: bool;
var shadow: i32;
wasm:begin { shadow = whamm_core.mem_alloc(16); }
wasm:opcode:memory.fill|memory.copy:after {
    dup_at(memid(whamm_core), (shadow as u32) + (arg2 as u32));
}
wasm:end {
    mirrored = read_str(memid(whamm_core), shadow, 11);
    apart = memid(whamm_core) != APP_MEMID;
    whamm_core.mem_free(shadow);
}
