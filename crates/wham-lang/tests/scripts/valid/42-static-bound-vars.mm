// covers: static bound values available at every opcode: fid, pc, opidx, at_func_end, fname, opname, bytecode, category_id, category_name
report var by_category: map<str, u64>;
var by_category_id: map<u32, u32>;
var final_ends: u32;

wasm:opcode:*:before {
    by_category[category_name]++;
    by_category_id[category_id]++;
}
wasm:opcode:end:before / at_func_end / {
    final_ends++;
}
wasm:opcode:*:before / bytecode >= 0xFC00 / {
    report var first_seen: (u32, u32, u32) = (fid, pc, opidx);
    unshared var name: str = opname;
    if (name == "memory.copy" && fname != "") {
        first_seen.2 = opidx;
    }
}
