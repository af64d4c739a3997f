// error: the condition of a global `if` must be `bool`, found `i32`
var limit: i32 = 3;
if (limit) {
    limit = 0;
}
wasm:opcode:nop:before {}
