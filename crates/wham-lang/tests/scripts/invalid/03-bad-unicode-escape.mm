// error: `\u{110000}` is not a Unicode scalar value
var label: str = "too far: \u{110000}";
wasm:func:entry / fname == label / {}
