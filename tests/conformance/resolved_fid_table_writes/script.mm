// resolved_fid through a table the program writes: wham keeps a shadow of
// the table's slots, updated before every table.set, table.fill,
// table.copy and table.init, so each call resolves to the function the
// slot holds at that moment.
report var called: map<u32, i32>;
wasm:opcode:call_indirect:before { called[arg0 as u32] = resolved_fid; }
