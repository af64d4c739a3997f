// A bound on a glob rule keeps only the sites where it holds (whamm 2.0.1
// §2.4): `*(arg0: i64)` fires where the top operand is an i64 and nowhere
// else, silently; instructions without an operand never match. Each event
// the glob expands to is numbered as whamm numbers it, gaps included.
wasm:opcode:*(arg0: i64):before { report unshared var hits: u32; hits++; }
