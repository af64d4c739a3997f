// C: classify runs 100 times; the program ends with exit(2974 % 7), and
// the report is still flushed before proc_exit.
report var classified: u32;
wasm:func:exit / fname == "classify" / { classified++; }
