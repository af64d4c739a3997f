// A global named like a bound value of the event cannot be used inside a
// probe of that event (whamm 2.0.1 §4.5): `fid` would mean two things.
var fid: u32;
wasm:opcode:call:before { fid = fid + 1; }
