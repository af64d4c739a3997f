// error: mode `alt` is not available for `end` (only before and after)
wasm:opcode:end:alt {}
