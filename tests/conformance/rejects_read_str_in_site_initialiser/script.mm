// `read_str` reads the app's memory while it runs; a per-site initialiser
// runs before that (whamm 2.0.1 §5: allowed in global initialisers only).
wasm:opcode:call:before {
    report unshared var text: str = read_str(APP_MEMID, 0, 4);
}
