// covers: SIMD events (i32x4.add, v128.load, f32x4.mul, i8x16.shuffle, v128.const, globs over i16x8.*) and the opaque v128 type: stored, compared with == and !=, passed on
var last: v128;
var repeats: u32;
var vector_ops: u64;

fn same(a: v128, b: v128) -> bool {
    return a == b;
}

wasm:opcode:i32x4.add:before {
    if (same(arg0, arg1)) {
        repeats++;
    }
    last = arg0;
}
wasm:opcode:v128.load:after {
    var loaded: v128 = res0;
    if (loaded != last) {
        last = loaded;
    }
}
wasm:opcode:f32x4.mul|i8x16.shuffle|v128.const|i16x8.*:before {
    vector_ops++;
}
