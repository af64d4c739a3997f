// Indirect calls: the table slot used and the function it resolves to (the
// table is never changed, so the element segments say what each slot holds).
report var callees: map<i32, u32>;
wasm:opcode:call_indirect:before {
    callees[resolved_fid]++;
    report unshared var slot: i32;
    slot = table_entry_idx;
}
wasm:opcode:table.get:before { report unshared var got: i32; got = resolved_fid; }
wasm:opcode:ref.func:before { report unshared var named: i32 = resolved_fid; }
