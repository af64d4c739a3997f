// if without else: after runs whether or not the then arm ran; with an
// else, after runs once past the shared end whichever arm ran.
report var elses: u32;
wasm:opcode:if:entry { report unshared var thens: u32; thens++; }
wasm:opcode:else:entry { elses++; }
wasm:opcode:if:after { report unshared var afters: u32; afters++; }
wasm:opcode:if(arg0: i32):before { report unshared var conds: i32; conds = conds * 10 + arg0; }
