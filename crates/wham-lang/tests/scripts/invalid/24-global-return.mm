// error: `return` is not allowed at global scope
var count: u32;
return;
wasm:opcode:call:before {
    count++;
}
