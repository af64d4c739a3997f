// covers: load/store bound values addr, offset, align, memory, effective_addr, data_size, is_write; memory.size's result
report var bytes_read: u64;
report var bytes_written: u64;
var unaligned: u32;
var far: u32;

wasm:opcode:i32.load|i64.load8_u:before {
    bytes_read = bytes_read + (data_size as u64);
    if (effective_addr % data_size != 0) {
        unaligned++;
    }
}
wasm:opcode:f64.store|i32.store16:before / memory == 0 / {
    if (is_write) {
        bytes_written = bytes_written + (data_size as u64);
    }
    if (offset > 4_096 || align > 3) {
        far++;
    }
    if (addr + (offset as u32) != effective_addr) {
        far--;
    }
}
wasm:opcode:memory.size(res0: i32):after {
    if (res0 > 100) {
        far++;
    }
}
