// Branch monitor: how often each conditional branch is taken.
//
//   wham check examples/branches.mm

// `if` and `br_if` both pop a condition: non-zero means taken.
wasm:opcode:if|br_if:before {
    report unshared var taken: u32;
    report unshared var not_taken: u32;
    if (arg0 != 0) {
        taken++;
    } else {
        not_taken++;
    }
}

// `br_table` picks a target by index; out-of-range indices take the default.
wasm:opcode:br_table:before {
    report unshared var chosen: map<u32, u32>;
    var index: u32 = arg0 as u32;
    chosen[index < num_targets ? index : num_targets]++;
}
