// Strings as map keys and values: names from the app (the calling and the
// called function), literals chosen at run time, and tuples with a string
// as values.
report var callee_of: map<str, str>;
report var size_class: map<u32, str>;
report var first_call: map<str, (str, u32)>;
wasm:opcode:call(arg0: i32):before {
    callee_of[fname] = target_fn_name;
    size_class[imm0] = arg0 > 10 ? "big" : "small";
    if (first_call[target_fn_name].1 == 0) {
        first_call[target_fn_name] = (fname, pc);
    }
}
