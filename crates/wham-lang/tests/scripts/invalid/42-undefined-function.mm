// error: undefined function `log_call`
var count: u32;
wasm:opcode:call:before {
    count++;
    log_call(count);
}
