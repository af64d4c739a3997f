// error: division by zero in a constant expression (`1 / 0`)
var ratio: i32;
wasm:opcode:nop:before {
    ratio = 1 / 0;
}
