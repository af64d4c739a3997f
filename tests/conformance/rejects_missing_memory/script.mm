// A memory index the app does not have (whamm 2.0.1 §11: "no memory with
// id N"), found when the script meets the app, on either target.
report var pages: u32;
wasm:opcode:nop:before { pages = mem_size(3); }
