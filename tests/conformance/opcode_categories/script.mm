// category_name and category_id of the instructions executed (numbered as
// in whamm: arith 0, compare 2, const 3, control 4, convert 5, global 8,
// load 9, local 10, memory 11, misc 12, store 15, table 16).
report var by_name: map<str, u32>;
report var by_id: map<u32, u32>;
wasm:opcode:*:before { by_name[category_name]++; by_id[category_id]++; }
