// br_table: the default label's depth and the index taken (num_targets
// stands for the default), and at_target, which runs where the branch
// lands when it is taken.
wasm:opcode:br_table:before {
    report unshared var default_depth: u32 = default_target;
    report unshared var table_size: u32 = num_targets;
    report unshared var defaults: u32;
    if (target == num_targets) { defaults++; }
}
wasm:opcode:br_table:at_target {
    report unshared var landed: map<u32, u32>;
    landed[target]++;
}
