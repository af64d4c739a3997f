// error: undefined variable `cnt` (did you mean `count`?)
var count: u32;
wasm:opcode:call:before {
    cnt++;
}
