// covers: maps with tuple keys, str keys, (str, bool) keys, str values, tuple values and nested tuple values
var edges: map<(u32, u32), u64>;
var per_name: map<str, u32>;
var mixed: map<(str, bool), i32>;
var labels: map<u32, str>;
var spans: map<u32, (u32, u32)>;
var deep: map<(u32, u8), (str, (i64, f32))>;

wasm:opcode:call:before {
    edges[(fid, imm0)]++;
    per_name[fname]++;
    mixed[(target_fn_name, target_fn_type == "import")]--;
    labels[imm0] = target_fn_name;
    if (labels[fid] == "") {
        labels[fid] = fname;
    }
    var old: (u32, u32) = spans[fid];
    spans[fid] = (pc, old.1 + 1);
    deep[(fid, 1)] = ("x", (-1, 0.5));
}
