// error: unterminated string literal
wasm:func:entry {
    var label: str = "never closed;
}
