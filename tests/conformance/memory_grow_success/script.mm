// A memory.grow that succeeds: failed is false, res0 is the old size in
// pages, mem_size sees the new size; arg0 is the number of pages asked for.
report var requested: u32;
wasm:opcode:memory.grow:before { requested = requested + arg0; }
wasm:opcode:memory.grow:after {
    report unshared var ok: bool;
    report unshared var old_pages: i32;
    report unshared var new_pages: u32;
    ok = !failed;
    old_pages = res0;
    new_pages = mem_size(0);
}
