// `alt_call_by_id` needs a function id known when the script is compiled
// (whamm 2.0.1 §6.4); a variable is refused.
wasm:opcode:call:alt {
    var callee: i32 = 1;
    alt_call_by_id(callee);
}
