// covers: generic headers, constraints, type parameters as variable, map and cast types, narrowing by use
wasm:opcode:local.set<T: numeric>(arg0: T):before / arg0 > (0 as T) / {
    report var hi: T;
    hi = arg0 * (2 as T);
}
wasm:opcode:local.tee<T>(arg0: T):before {
    report var bits: T;
    bits = arg0 & (255 as T);
}
wasm:opcode:*.add<A: int, B: int>(arg0: A, arg1: B):before {
    unshared var seen: map<u32, A>;
    seen[0] = arg0;
    report var pairs: u32;
    pairs++;
}
