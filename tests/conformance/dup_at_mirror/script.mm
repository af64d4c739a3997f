// dup_at repeats a bulk-memory instruction with its destination moved:
// each write into 0.. is mirrored at 100.. of the same memory, with the
// same source (fill value, copied bytes, data segment), so the mirror
// reads back what the program wrote.
report var mirror: str;
report var original: str;
wasm:opcode:memory.fill|memory.copy|memory.init:after {
    dup_at(APP_MEMID, (arg2 as u32) + 100);
}
wasm:end {
    mirror = read_str(APP_MEMID, 100, 11);
    original = read_str(APP_MEMID, 0, 11);
}
