// String, tuple and bool keys; tuple and string values; missing keys read
// as zero; per-site maps.
report var per_callee: map<str, u32>;
report var edges: map<(u32, str), (u32, i64)>;
report var last_name: map<bool, str>;
var never: map<u64, u64>;
report var missing: u64;
wasm:opcode:call(arg0: i32):before {
    per_callee[target_fn_name]++;
    var e: (u32, i64) = edges[(fid, target_fn_name)];
    edges[(fid, target_fn_name)] = (e.0 + 1, e.1 + (arg0 as i64) * -10);
    last_name[imm0 == 0] = target_fn_name;
    missing = missing + never[12345];
}
wasm:opcode:call:after {
    report unshared var returned: map<u32, u32>;
    returned[imm0]++;
}
