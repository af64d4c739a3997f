// error: map values cannot be maps (`map<u32, map<u32, u32>>`)
var nested: map<u32, map<u32, u32>>;
wasm:opcode:nop:before {}
