// error: `frame var` is not supported yet
wasm:func:entry {
    frame var started: u64;
}
