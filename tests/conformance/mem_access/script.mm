// Memory-access facts: static (data_size, is_write, offset) and dynamic
// (effective_addr = address operand + offset).
wasm:opcode:i32.store:before { report unshared var stored: i32; stored = arg0; }
report var reads: u32;
report var writes: u32;
report var bytes: u64;
report var last_addr: u32;
report var offsets: u64;
wasm:opcode:*load*|*store*:before {
    if (is_write) { writes++; } else { reads++; }
    bytes = bytes + (data_size as u64);
    offsets = offsets + offset;
    last_addr = effective_addr;
}
