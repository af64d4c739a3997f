// at_target on the GC branches runs only when the branch is taken:
// br_on_null when the reference is null, br_on_cast when it has the type.
wasm:opcode:br_on_null:at_target { report unshared var null_taken: u32; null_taken++; }
wasm:opcode:br_on_null:before { report unshared var null_seen: u32; null_seen++; }
wasm:opcode:br_on_cast:at_target { report unshared var cast_taken: u32; cast_taken++; }
wasm:opcode:br_on_cast:before { report unshared var cast_seen: u32; cast_seen++; }
