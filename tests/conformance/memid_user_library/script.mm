// memid(lib) names a user library's memory: the output imports it (before
// the program's own memory, which moves up to index 1, as APP_MEMID and
// the `memory` of a load say; the instrumentation memory comes last). The
// probe copies the bytes the program passes to $show into the library's
// memory, where the library adds them up. (The engine target refuses
// memid of a user library and memcpy.)
use scratch;
use whamm_core;
report var lib_mem: u32 = memid(scratch);
report var app_mem: u32 = APP_MEMID;
report var core_mem: u32 = memid(whamm_core);
report var lib_page: u32 = page_size(memid(scratch));
report var load_mem: u32;
report var sums: map<i32, i32>;
wasm:opcode:call(arg0: i32, arg1: i32):before / target_fn_type == "local" / {
    memcpy(APP_MEMID, arg1 as u32, memid(scratch), 16, arg0 as u32);
    sums[arg0] = scratch.checksum(16, arg0);
    report unshared var text: str;
    text = read_str(memid(scratch), 16, arg0 as u32);
}
wasm:opcode:i32.load:before {
    load_mem = memory;
}
