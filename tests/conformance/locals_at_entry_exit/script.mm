// localN at func:entry sees the arguments and the declared locals still
// zero; at func:exit the values the body left in them.
wasm(local0: i32, local1: i64, local2: i32):func:entry {
    report unshared var entry_sum: i64;
    entry_sum = entry_sum + (local0 as i64) + local1 + (local2 as i64) * 1000;
}
wasm(local0: i32, local1: i64, local2: i32):func:exit {
    report unshared var exit_trace: i64;
    exit_trace = exit_trace * 1000 + (local2 as i64) * 10 + local1;
}
