// `targets[k]` with `k` known only when the branch runs (rewriting):
// label k for the table's own entries, 0 past them (a map's missing key).
report var sum: u32;
report var seen: u32;
wasm:opcode:br_table:before {
    sum = sum + targets[arg0];
    seen = seen * 10 + targets[arg0] + 1;
}
