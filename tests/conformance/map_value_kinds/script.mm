// Map values of narrow types wrap like variables (u8 past 255, i8 below
// -128); bool and string values; keys that are strings and (str, bool)
// tuples.
report var counts: map<str, u8>;
report var nonzero: map<u32, bool>;
report var parity: map<(str, bool), str>;
report var low: map<(u32, u32), i8>;
wasm:opcode:i32.add:after { counts["adds"]++; }
wasm:opcode:br_if:before {
    counts["br_if"]++;
    nonzero[arg0 % 3] = arg0 != 0;
    parity[(fname, arg0 > 100)] = arg0 % 2 == 0 ? "even" : "odd";
}
wasm:opcode:call:before {
    counts["calls"]++;
    low[(fid, imm0)] = low[(fid, imm0)] - 100;
}
