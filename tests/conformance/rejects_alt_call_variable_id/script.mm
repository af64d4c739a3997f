// `alt_call_by_id` needs a function id known when the script is compiled
// (whamm 2.0.1 §6.4); an operand is refused.
wasm:opcode:call(arg0: i32):alt { alt_call_by_id(arg0); }
