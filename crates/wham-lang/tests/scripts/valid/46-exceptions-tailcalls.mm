// covers: exception-handling events (throw with its tag imm0, throw_ref, try_table entry/exit) and tail calls (return_call, return_call_indirect, return_call_ref)
report var throws_by_tag: map<u32, u32>;
var rethrows: u32;
var tail_calls: u32;
var guarded_depth: i32;

wasm:opcode:throw:before { throws_by_tag[imm0]++; }
wasm:opcode:throw_ref:before { rethrows++; }
wasm:opcode:try_table:entry { guarded_depth++; }
wasm:opcode:try_table:exit { guarded_depth--; }
wasm:opcode:return_call|return_call_indirect|return_call_ref:before { tail_calls++; }
