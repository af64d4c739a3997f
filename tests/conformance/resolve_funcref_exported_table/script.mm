// resolved_fid and resolve_funcref through a table the program exports:
// wham shadows its slots (with a warning that writes made by the host are
// not seen). resolve_funcref reads any slot of the site's table: at each
// table.get, the slot two further on (slot 3 was never filled: -1).
report var called: map<u32, i32>;
report var called_fn: map<u32, i32>;
report var two_on: map<u32, i32>;
wasm:opcode:call_indirect:before {
    called[table_entry_idx as u32] = resolved_fid;
    called_fn[arg0 as u32] = resolve_funcref(target_funcref, table_entry_idx);
}
wasm:opcode:table.get:before {
    two_on[arg0 as u32] = resolve_funcref(target_funcref, arg0 + 2);
}
