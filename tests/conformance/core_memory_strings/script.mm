// Strings copied into and out of the built-in whamm_core's memory
// (`memid(whamm_core)`), as whamm's string tests do: `write_str` a script
// string there, `memcpy` it within, `read_str` it back. On the engine target
// this is the monitor's own memory, so nothing touches the program's.
use whamm_core;
report var back: str;
report var copied: str;
wasm:opcode:nop:before {
    var s: str = "hello";
    var ptr: i32 = whamm_core.mem_alloc(5);
    write_str(memid(whamm_core), ptr, s);
    back = read_str(memid(whamm_core), ptr, 5);
    var other: i32 = whamm_core.mem_alloc(5);
    memcpy(memid(whamm_core), ptr as u32, memid(whamm_core), other as u32, 5);
    copied = read_str(memid(whamm_core), other, 3);
}
