// `bytecode` is a constant of the event: it mixes with any integer type,
// as a literal does (whamm 2.0.1).
report var wide: u64;
report var signed: i32;
report var small: u16;
report var sets: u32;

wasm:opcode:local.set|memory.fill:before {
    wide = wide + bytecode * 2;
    signed = signed - bytecode;
    small = small + bytecode;
    if (bytecode == 33) {
        sets++;
    }
}
