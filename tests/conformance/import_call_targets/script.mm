// Direct calls to imports: the import's module and field name; a local
// callee has an empty module and its name-section name.
report var by_module: map<str, u32>;
report var by_kind: map<str, u32>;
wasm:opcode:call:before {
    report unshared var callee: str;
    report unshared var module: str;
    callee = target_fn_name;
    module = target_imp_module;
    by_module[target_imp_module]++;
    by_kind[target_fn_type]++;
}
