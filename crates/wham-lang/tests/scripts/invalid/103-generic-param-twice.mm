// error: one type parameter declared in two rule parts
wasm:opcode<T: int>:local.set<T: float>(arg0: T):before { }
