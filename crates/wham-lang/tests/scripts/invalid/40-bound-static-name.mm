// error: only argN, resN and localN can be bounded; `imm0` is static
var count: u32;
wasm:opcode:call(imm0: u32):before {
    count++;
}
