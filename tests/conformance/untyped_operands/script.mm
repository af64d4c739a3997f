// Operands whose type depends on the site (`drop`'s operand, the result of
// `local.get` and `global.get`) are typed per site, so a bound admits
// exactly the sites where it holds. (whamm 2.0.1 cannot type them on its
// rewriting target, warns and matches nothing, §2.3.)
wasm:opcode:drop(arg0: i64):before { report unshared var dropped: i64; dropped = arg0; }
wasm:opcode:local.get(res0: i32):after { report unshared var read: i32; read = res0; }
wasm:opcode:global.get(res0: f64):after { report unshared var value: f64; value = res0; }
