// covers: call's static bound values: imm0 (callee index), target_fn_type, target_imp_module, target_fn_name; return_call's imm0
var imports: map<str, u32>;
var locals: map<u32, u32>;

wasm:opcode:call:before {
    if (target_fn_type == "import") {
        imports[target_imp_module]++;
    } else {
        locals[imm0]++;
    }
}
wasm:opcode:call:before / target_imp_module == "wasi_snapshot_preview1" && target_fn_name == "fd_write" / {
    report var writes: u32;
    writes++;
}
wasm:opcode:return_call:before {
    locals[imm0]++;
}
