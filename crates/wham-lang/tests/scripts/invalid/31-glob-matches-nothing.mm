// error: the event pattern `*atomic_rmw*` matches no event (atomic mnemonics use dots: `*atomic.rmw*`)
var count: u32;
wasm:opcode:*atomic_rmw*:before {
    count++;
}
