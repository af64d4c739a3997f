// align is the alignment immediate, log2 of bytes (the natural alignment
// when the text gives none), beside data_size; one access is not naturally
// aligned.
report var misaligned: u32;
wasm:opcode:*load*|*store*:before {
    report unshared var shape: (u32, u32);
    shape = (align, data_size);
    if (effective_addr % data_size != 0) { misaligned++; }
}
