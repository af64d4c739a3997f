// error: `\x` must be followed by exactly two hex digits (`\x4g`)
var label: str = "half a byte: \x4g";
wasm:func:entry / fname == label / {}
