// Global statements run once, in order, before the program starts.
report var base: u64;
report var label: str;
var k: u64 = 40;
base = k + 2;
label = "answer";
wasm:opcode:nop:before { base++; }
