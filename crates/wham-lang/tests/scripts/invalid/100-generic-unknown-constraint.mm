// error: a generic constraint that is not `numeric`, `int` or `float`
wasm:opcode:local.set<T: integer>(arg0: T):before { }
