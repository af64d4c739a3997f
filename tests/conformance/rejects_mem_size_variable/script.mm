// `mem_size` takes a memory index known when the script is compiled
// (whamm 2.0.1 §11).
report var pages: u32;
wasm:opcode:nop:before {
    var which: u32 = 0;
    pages = mem_size(which);
}
