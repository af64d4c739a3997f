// `mem_size` takes a memory index known when the script is compiled
// (whamm 2.0.1 §11); a value computed while the program runs is refused.
report var pages: u32;
var which: u32;
wasm:opcode:nop:before {
    which = which + 1;
    pages = mem_size(which);
}
