// try_table: entry each time its body starts, exit when the body completes
// normally, after when execution goes on past its end. A caught exception
// leaves the body by branching to the catch label instead: no exit, no
// after, but the labelled block's after runs.
report var entries: u32;
report var exits: u32;
report var afters: u32;
report var throws: u32;
report var handled: u32;
wasm:opcode:try_table:entry { entries++; }
wasm:opcode:try_table:exit { exits++; }
wasm:opcode:try_table:after { afters++; }
wasm:opcode:throw:before { throws++; }
wasm:opcode:block:after { handled++; }
