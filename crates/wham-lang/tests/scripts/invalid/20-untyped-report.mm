// error: `report var total;` has no type (help: add a type)
report var total;
wasm:opcode:call:before {
    total++;
}
