// covers: GC events: struct.new(_default), array.new(_default), array.len, ref.i31, i31.get_s, ref.test*, ref.cast*
report var allocations: map<u32, u64>;
var empty_arrays: u32;
var negative_i31: u32;
var big_i31: u32;
var casts: u32;

wasm:opcode:struct.new|struct.new_default|array.new|array.new_default:before {
    // imm0 is the type index
    allocations[imm0]++;
}
wasm:opcode:array.len:after {
    if (res0 == 0) {
        empty_arrays++;
    }
}
wasm:opcode:ref.i31:before / arg0 < 0 / { negative_i31++; }
wasm:opcode:i31.get_s:after / res0 > 1_000 / { big_i31++; }
wasm:opcode:ref.test*|ref.cast*:before { casts++; }
