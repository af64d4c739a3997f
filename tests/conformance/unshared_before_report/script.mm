// Per-site state that is not reported, declared before (and beside) state
// that is: only the `report` variables get rows, with their own values.
// (whamm 2.0.1's rewriting target reserves a row header for the plain
// `unshared` variable without writing it and prints garbage or traps.)
wasm:opcode:nop:before { unshared var quiet: u32; quiet++; }
wasm:opcode:nop:before {
    unshared var skipped: u64;
    report unshared var hits: u32;
    skipped = skipped + 7;
    hits++;
}
wasm:opcode:i32.add:before {
    unshared var last: i32;
    report unshared var sum: i32;
    last = arg0;
    sum = sum + last + arg1;
}
