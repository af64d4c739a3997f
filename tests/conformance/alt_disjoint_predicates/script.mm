// Several alt probes may match one instruction as long as their static
// predicates never hold at the same site: each constant gets the one
// replacement meant for it, so the program stores 10 + 20.
report var stored: i32;
wasm:opcode:i32.const:alt / imm0 == 1 / { return 10; }
wasm:opcode:i32.const:alt / imm0 == 2 / { return 20; }
wasm:opcode:global.set(arg0: i32):before { stored = arg0; }
