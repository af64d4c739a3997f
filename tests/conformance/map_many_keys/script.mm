// A map that grows past its first table (101 keys, 500 updates), with
// signed keys printed in signed order.
report var hist: map<i32, u32>;
report var distinct: u32;
wasm:opcode:call(arg0: i32):before / target_fn_name == "f" / {
    if (hist[arg0] == 0) { distinct++; }
    hist[arg0]++;
}
