// error: cannot cast to `str` (casts go only to numeric types and `bool`)
var label: str;
wasm:opcode:call:before {
    label = imm0 as str;
}
