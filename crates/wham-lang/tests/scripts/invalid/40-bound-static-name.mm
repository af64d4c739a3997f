// error: only argN, resN, localN and immN can be bounded; `fid` is known everywhere
var count: u32;
wasm:opcode:call(fid: u32):before {
    count++;
}
