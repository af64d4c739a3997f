// drop_args() in an alt probe discards the replaced instruction's operands:
// a void call removed when a run-time predicate holds, a store removed, an
// i32.add given a new result.
report var logs: u32;
report var seen: i64;
wasm:opcode:call(arg0: i32, arg1: i32):alt / target_fn_name == "log" && arg0 == 2 / { drop_args(); }
wasm:opcode:i32.store:alt { drop_args(); }
wasm:opcode:i32.add:alt { drop_args(); return 5; }
wasm:func:entry / fname == "log" / { logs++; }
wasm:opcode:drop(arg0: i32):before { seen = seen * 1000 + (arg0 as i64); }
