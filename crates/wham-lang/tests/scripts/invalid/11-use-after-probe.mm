// error: `use` must come before the first probe
var count: u32;
wasm:opcode:call:before {
    count++;
}
use cache;
