// Instruction count: the number of Wasm instructions the program executes.
report var count: u64;

wasm:opcode:*:before {
    count++;
}
