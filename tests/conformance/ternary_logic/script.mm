// Ternaries and short-circuit logic on values only known at run time.
report var zeros: u32;
report var nonzeros: u32;
report var both: u32;
wasm:opcode:i32.eqz:before {
    var z: u32 = arg0 == 0 ? 1 : 0;
    zeros = zeros + z;
    nonzeros = nonzeros + (1 - z);
    if (arg0 != 0 || zeros == 2) { both++; }
}
