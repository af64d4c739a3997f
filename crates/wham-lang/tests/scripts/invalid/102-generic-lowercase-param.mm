// error: a type parameter must start with an upper-case letter
wasm:opcode:local.set<t: int>(arg0: i32):before { }
