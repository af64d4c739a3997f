// Direct calls filtered by callee index, kind and name.
report var to_a: u32;
report var to_local: u32;
report var b_arg_sum: i32;
wasm:opcode:call:before / imm0 == 0 / { to_a++; }
wasm:opcode:call:before / target_fn_type == "local" / { to_local++; }
wasm:opcode:call(arg0: i32):before / target_fn_name == "b" / { b_arg_sum = b_arg_sum + arg0; }
