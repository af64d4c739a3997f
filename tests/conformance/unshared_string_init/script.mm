// A per-site variable initialised from a static string keeps its own
// site's value, also when the rest of the body is a lone counter (which
// the rewriter may batch per basic block) and on the engine target (which
// passes strings through one reused buffer).
wasm:opcode:i32.add|i32.sub:before {
    report unshared var op: str = opname;
    report unshared var times: u32;
    times++;
}
