// error: unexpected character `#`
var count: u32;
wasm:opcode:call:before {
    count = count # 2;
}
