// Tail calls leave the caller: func:exit runs before return_call and
// return_call_indirect, in the order the frames are left (the callee's own
// exit comes later); the final end after a tail call is never reached.
var step: u32;
report var arg_at_exit: map<str, i32>;
wasm:func:exit { report unshared var exit_step: u32; step++; exit_step = step; }
wasm:opcode:return_call|return_call_indirect:before { report unshared var calls: u32; calls++; }
wasm(local0: i32):func:exit { arg_at_exit[fname] = local0; }
