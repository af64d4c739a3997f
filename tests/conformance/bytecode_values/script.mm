// bytecode: one-byte opcodes as they are, 0xFC-prefixed ones as
// prefix << 8 | sub-opcode, a SIMD sub-opcode above 0xFF as prefix << 16 | sub.
report var codes: map<str, u32>;
wasm:opcode:*:before { codes[opname] = bytecode; }
