// error: unknown escape sequence `\q` in a string literal
var label: str = "bad \q escape";
wasm:func:entry / fname == label / {}
