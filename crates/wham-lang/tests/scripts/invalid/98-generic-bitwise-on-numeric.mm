// error: a parameter declared `numeric` used with `<<`, which floats lack
wasm:opcode:local.set<T: numeric>(arg0: T):before {
    report var x: T;
    x = arg0 << (1 as T);
}
