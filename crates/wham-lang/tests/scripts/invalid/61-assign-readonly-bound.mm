// error: `fid` is read-only (only argN in before probes and resN in after probes can be assigned)
wasm:opcode:call:before {
    fid = 3;
}
