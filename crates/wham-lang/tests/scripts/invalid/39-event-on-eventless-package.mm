// error: package `begin` has no events; write the 2-part rule `wasm:begin`
var started: bool;
wasm:begin:start {
    started = true;
}
