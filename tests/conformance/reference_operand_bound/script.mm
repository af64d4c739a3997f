// A numeric bound on an operand that holds a reference never matches
// (whamm 2.0.1 §2.3: its compiler panics there); the same rule without a
// bound fires at both sets.
wasm:opcode:local.set(arg0: i32):before { report unshared var int_sets: u32; int_sets++; }
wasm:opcode:local.set:before { report unshared var sets: u32; sets++; }
