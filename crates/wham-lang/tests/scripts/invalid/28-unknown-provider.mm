// error: unknown provider `js` in the rule (the only provider is `wasm`)
var count: u32;
js:opcode:call:before {
    count++;
}
