// Generic probes (whamm 2.0.1): one probe per type its parameter admits,
// each applying where the operand has that type. Rows carry the site's type.

// Every number type; the predicate and the body are typed per site.
wasm:opcode:local.set<T: numeric>(arg0: T):before / arg0 > (0 as T) / {
    report var doubled: T;
    doubled = arg0 * (2 as T);
}

// Unconstrained: `&` narrows `T` to the integers.
wasm:opcode:local.set<T>(arg0: T):before {
    report var low: T;
    low = arg0 & (3 as T);
}

// Integer literals take the site's type.
wasm:opcode:local.tee<T: int>(arg0: T):before {
    report var teed: T;
    teed = arg0 + 1;
}

// Two operands bound to one parameter must have the same type.
wasm:opcode:i*.add<A>(arg0: A, arg1: A):before {
    report var sum: A;
    sum = arg0 + arg1;
}
