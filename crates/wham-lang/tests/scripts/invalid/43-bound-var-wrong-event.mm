// error: `effective_addr` is not bound at `call` (it exists at loads and stores)
var last: u32;
wasm:opcode:call:before {
    last = effective_addr;
}
