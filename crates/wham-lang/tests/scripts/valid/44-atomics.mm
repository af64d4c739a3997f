// covers: atomic events: read-modify-write (incl. cmpxchg), atomic loads and stores, wait/notify, fence; memory values at atomic sites
report var rmw_ops: u64;
report var fences: u32;
var waits: u32;
var low_addresses: u32;

wasm:opcode:i32.atomic.rmw.add|i64.atomic.rmw.cmpxchg:before { rmw_ops++; }
wasm:opcode:i32.atomic.load:after {
    if (res0 == 0) {
        waits++;
    }
}
wasm:opcode:i64.atomic.store:before / data_size == 8 / { rmw_ops++; }
wasm:opcode:memory.atomic.wait32|memory.atomic.notify:before { waits++; }
wasm:opcode:atomic.fence:before { fences++; }
wasm:opcode:i32.atomic.rmw*.*:before / effective_addr < 1_024 / { low_addresses++; }
