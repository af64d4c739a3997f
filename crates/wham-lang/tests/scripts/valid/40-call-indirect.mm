// covers: call_indirect's bound values imm0 (type), imm1 (table), table_entry_idx, target_funcref, resolved_fid and the resolve_funcref function; call_ref's resolved_fid; funcref locals
report var edges: map<(u32, i32), u32>;

wasm:opcode:call_indirect:before / imm1 == 0 / {
    var slot: i32 = table_entry_idx;
    var callee_ref: funcref = target_funcref;
    var callee: i32 = resolve_funcref(callee_ref, slot);
    if (callee == resolved_fid && imm0 < 100) {
        edges[(fid, callee)]++;
    }
}
wasm:opcode:call_ref:before {
    edges[(fid, resolved_fid)]++;
}
