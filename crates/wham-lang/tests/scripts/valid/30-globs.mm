// covers: glob patterns in rule parts: `*`, `?`, `[set]`, `[!set]`, `|` alternation of names and globs, globs in the mode part, case-insensitive matching
var n: u32;

wasm:opcode:i32.*:before { n++; }
wasm:opcode:?64.add:before { n++; }
wasm:opcode:[if]32.load:before { n++; }
wasm:opcode:i32.load[!1]*:before { n++; }
wasm:opcode:local.get|local.set|global.*:before { n++; }
wasm:opcode:br*:at_target { n++; }
wasm:opcode:br_if:a[ft]* { n++; }
wasm:func:entry|exit { n++; }
WASM:OpCode:Call:BEFORE { n++; }
