// covers: probe-local unshared and report variables, `report unshared` and `unshared report` orders, static initialisers (fid, pc, fname, imm0, constant arithmetic)
wasm:opcode:call:before {
    unshared var hits: u32;
    unshared var site: (u32, u32) = (fid, pc);
    unshared var caller: str = fname;
    report var executions: u64;
    report unshared var callee: u32 = imm0;
    unshared report var label: u32 = fid * 10_000 + pc;
    // a plain local starts from its initialiser every time
    var previous: u32 = hits;
    hits++;
    executions++;
    if (previous == 0 && site.0 == fid && caller == fname) {
        callee = imm0;
        label++;
    }
}
