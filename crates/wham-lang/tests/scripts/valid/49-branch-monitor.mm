// covers: a complete tool: per-site branch outcomes for if/br_if (glob `*if`), br_table per-target counts, select choices with a typed bound
wasm::*if:before {
    report var taken: u32;
    report var not_taken: u32;
    if (arg0 != 0) {
        taken++;
    } else {
        not_taken++;
    }
}
wasm:opcode:br_table:before {
    report var chosen: map<u32, u32>;
    chosen[target]++;
}
wasm:opcode:select(arg0: i32):before {
    report var first: u32;
    report var total: u32;
    if (arg0 != 0) {
        first++;
    }
    total++;
}
