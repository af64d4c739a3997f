// error: unknown mode `altm` for event `call` (did you mean `alt`?)
wasm:opcode:call:altm {}
