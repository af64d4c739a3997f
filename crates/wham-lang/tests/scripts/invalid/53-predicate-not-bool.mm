// error: the predicate has type `u32`, expected `bool` (no implicit int -> bool; write `fid != 0`)
var count: u32;
wasm:opcode:call:before / fid / {
    count++;
}
