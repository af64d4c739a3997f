// global.get and global.set: imm0 is the app's global index; the value
// written is arg0, typed by a bound that also picks the globals of that
// type (readable in after too).
report var reads: map<u32, u32>;
report var writes: map<u32, i32>;
report var i64_written: i64;
wasm:opcode:global.get:before { reads[imm0]++; }
wasm:opcode:global.get:after { report unshared var got: u32; got++; }
wasm:opcode:global.set(arg0: i32):before { writes[imm0] = writes[imm0] * 100 + arg0; }
wasm:opcode:global.set(arg0: i64):after { i64_written = arg0; }
