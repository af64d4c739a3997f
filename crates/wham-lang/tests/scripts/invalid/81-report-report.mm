// error: `report` is given twice on one declaration
wasm:opcode:call:before {
    report report var hits: u32;
    hits++;
}
