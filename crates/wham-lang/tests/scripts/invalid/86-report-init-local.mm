// error: the initialiser of a report variable cannot use the probe local `scaled`
wasm:opcode:call:before {
    var scaled: u32 = imm0 * 2;
    report var seen: u32 = scaled;
    seen++;
}
