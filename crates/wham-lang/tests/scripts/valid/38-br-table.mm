// covers: br_table's bound values: arg0, targets, default_target, num_targets, target; a per-site report map
wasm:opcode:br_table:before {
    report var by_target: map<u32, u32>;
    report var defaults: u32;
    var index: u32 = arg0 as u32;
    if (index >= num_targets) {
        defaults++;
    }
    by_target[target]++;
    var depth: u32 = index < num_targets ? targets[index] : default_target;
    if (depth == targets[0]) {
        by_target[num_targets]--;
    }
}
