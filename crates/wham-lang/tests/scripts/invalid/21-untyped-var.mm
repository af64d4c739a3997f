// error: a declaration needs a type: `var limit = 5;`
var limit = 5;
wasm:opcode:nop:before {}
