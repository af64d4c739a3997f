// covers: a complete tool: dynamic instruction count with one global report counter and a `use` placed after a declaration
var unused_note: str = "use may follow globals, as long as it precedes the first probe";
use clock;

report var instructions: u64;

wasm:opcode:*:before {
    instructions++;
}
wasm:end {
    clock.stop(instructions);
}
