// error: `cache` is not a library in scope (add `use cache;` before the first probe)
wasm:opcode:i32.load:before {
    cache.access(effective_addr as i32);
}
