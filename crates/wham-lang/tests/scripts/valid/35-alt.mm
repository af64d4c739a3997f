// covers: `alt` probes: `return expr;` supplying the result, operands in alt, an empty body deleting the instruction, drop_args, alt_call_by_name, alt_call_by_id
wasm:opcode:i32.const:alt / imm0 == 42 / {
    return imm0 + 1;
}
wasm:opcode:i32.sub:alt {
    // same result as the original: the first operand is arg1
    return arg1 - arg0;
}
wasm:opcode:f64.add:alt {
    return arg0 + arg1;
}
wasm:opcode:nop:alt {}
wasm:opcode:call:alt / target_fn_name == "log_debug" / {
    drop_args();
}
wasm:opcode:call:alt / target_fn_name == "old_api" / {
    alt_call_by_name("new_api");
}
wasm:opcode:call:alt / target_fn_name == "legacy" && imm0 == 3 / {
    alt_call_by_id(4);
}
