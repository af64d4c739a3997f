// covers: compiler-provided values and functions: APP_MEMID, memid, memcpy, read_str, write_str, strcmp, strcontains, page_size, mem_size, active_data_start, active_data_len
use buf;

var data_lo: u32 = active_data_start(APP_MEMID);
var data_len: u32 = active_data_len(APP_MEMID);
report var opened: map<str, u32>;

wasm:opcode:call(arg0: i32, arg1: i32):before / target_fn_name == "open_file" / {
    // the callee takes (ptr, len); len is on top of the stack: arg0 = len, arg1 = ptr
    if (strcmp((arg1, arg0), "/etc/passwd")) {
        opened["passwd"]++;
    }
    if (strcontains((arg1, arg0), ".log")) {
        opened["log"]++;
    }
    var path: str = read_str(APP_MEMID, arg1, arg0 as u32);
    opened[path]++;
    var copy: i32 = buf.alloc(arg0);
    memcpy(APP_MEMID, arg1 as u32, memid(buf), copy as u32, arg0 as u32);
    write_str(memid(buf), copy, "seen");
}
wasm:opcode:memory.grow(arg0: i32):after {
    var bytes: u64 = (mem_size(APP_MEMID) as u64) * (page_size(APP_MEMID) as u64);
    if (bytes > 1_000_000 && (arg0 as u32) < data_lo + data_len) {
        opened["big"]++;
    }
}
