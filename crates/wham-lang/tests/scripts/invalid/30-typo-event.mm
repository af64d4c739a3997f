// error: unknown event `br_fi` (did you mean `br_if`?)
var count: u32;
wasm:opcode:br_fi:before {
    count++;
}
