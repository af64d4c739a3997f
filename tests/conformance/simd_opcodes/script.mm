// SIMD opcodes are events like any other (the original had none).
report var adds: u32;
report var lane: u32;
wasm:opcode:i32x4.add:before { adds++; }
wasm:opcode:i32x4.extract_lane:before { lane = imm0; }
wasm:opcode:v128.*:before { report unshared var v128_ops: u32; v128_ops++; }
