// covers: empty rule parts, each matching everything at its level: provider, package, event, mode, and two empty parts at once
var a: u32;
var b: u32;
var c: u32;
var d: u32;
var e: u32;

wasm::br_if:before { a++; }
:opcode:drop:before { b++; }
wasm:opcode::before / fid == 0 / { c++; }
wasm:opcode:nop: { d++; }
::call:after { e++; }
