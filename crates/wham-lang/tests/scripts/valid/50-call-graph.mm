// covers: a complete tool: a call graph in a global report map keyed by (caller, callee), indirect edges attributed at the callee's entry
report var graph: map<(u32, u32), u32>;
var pending: bool;
var caller: u32;

wasm:opcode:call:before {
    graph[(fid, imm0)]++;
}
wasm:opcode:call_indirect|call_ref:before {
    pending = true;
    caller = fid;
}
wasm:func:entry / pending / {
    graph[(caller, fid)]++;
    pending = false;
}
