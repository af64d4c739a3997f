// error: `return 1;` supplies a result, which only `alt` probes can do (use `return;` to end a before probe)
wasm:opcode:i32.const:before {
    return 1;
}
