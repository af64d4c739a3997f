// covers: the at_target mode of br, br_if, br_table and br_on_null; imm0 (label depth) read at the target
var taken_by_depth: map<u32, u32>;
var null_branches: u32;

wasm:opcode:br:at_target { taken_by_depth[imm0]++; }
wasm:opcode:br_if:at_target / fid != 0 / { taken_by_depth[imm0]++; }
wasm:opcode:br_table:at_target {
    report var landed: u32;
    landed++;
}
wasm:opcode:br_on_null:at_target { null_branches++; }
