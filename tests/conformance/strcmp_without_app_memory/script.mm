// A program without a memory holds no strings: `strcmp` and `strcontains`
// are false there, on both targets (whamm compares its own memory instead).
report var same: u32;
report var has: u32;
report var nops: u32;
wasm:opcode:nop:before {
    nops++;
    if (strcmp((0, 2), "ab")) { same++; }
    if (strcontains((0, 2), "a")) { has++; }
}
