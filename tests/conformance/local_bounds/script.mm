// A type bound on a local filters the functions a probe applies to.
wasm(local0: i32):func:entry {
    report unshared var sum: i32;
    sum = sum + local0;
}
