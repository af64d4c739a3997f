// Tuples nested three deep with u8, i16, bool, str and u64 elements, updated
// element by element (narrow elements wrap), and a per-site tuple holding
// a tuple.
report var deep: (u8, (i16, (bool, str)), u64);
wasm:opcode:i32.mul:before {
    report unshared var ops: ((i32, i32), bool);
    ops = ((arg1, arg0), arg1 > arg0);
    deep.0 = deep.0 + (arg0 as u8);
    deep.1.0 = deep.1.0 - (arg1 as i16);
    deep.1.1 = (arg0 < 0, fname);
    deep.2 = deep.2 + ((arg0 * arg1) as u64);
}
