// Nested loops: loop:entry runs once per iteration (the first entry and
// every branch back to the top), loop:exit and loop:after once each time
// the body falls through its end; at_target counts the back edges.
wasm:opcode:loop:entry { report unshared var iterations: u32; iterations++; }
wasm:opcode:loop:exit { report unshared var exits: u32; exits++; }
wasm:opcode:loop:after { report unshared var afters: u32; afters++; }
wasm:opcode:br_if:at_target { report unshared var back: u32; back++; }
