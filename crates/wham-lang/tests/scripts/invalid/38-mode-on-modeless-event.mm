// error: `wasm:func:entry` has no modes; write the 3-part rule `wasm:func:entry`
var count: u32;
wasm:func:entry:before {
    count++;
}
