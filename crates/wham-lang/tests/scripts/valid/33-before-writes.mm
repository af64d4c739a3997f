// covers: assigning argN in `before` probes, which changes the operand the instruction consumes
wasm:opcode:br_if:before / fid == 2 / {
    // never take the branches of function 2
    arg0 = 0;
}
wasm:opcode:call(arg0: i32):before / imm0 == 7 / {
    if (arg0 < 0) {
        arg0 = -arg0;
    }
}
wasm:opcode:f64.sqrt:before {
    if (arg0 < 0.0) {
        arg0 = 0.0;
    }
}
