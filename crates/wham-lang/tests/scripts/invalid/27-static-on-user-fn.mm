// error: `@static` applies only to library calls, not to user function `weight`
fn weight(f: u32) -> u32 {
    return f * 2;
}
wasm:opcode:call:before / @static weight(fid) > 4 / {}
