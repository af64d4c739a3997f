// covers: global report variables of scalar, str, tuple and map types, with and without initialisers, tuple element writes
report var calls: u64;
report var first_caller: u32 = 4_294_967_295;
report var note: str = "calls per callee";
report var range: (u32, u32) = (4_294_967_295, 0);
report var per_callee: map<u32, u64>;

wasm:opcode:call:before {
    calls++;
    per_callee[imm0]++;
    if (first_caller == 4_294_967_295) {
        first_caller = fid;
    }
    if (imm0 < range.0) {
        range.0 = imm0;
    }
    if (imm0 > range.1) {
        range.1 = imm0;
    }
}
