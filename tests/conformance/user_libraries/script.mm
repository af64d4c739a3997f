// A user library: `@static` calls run while instrumenting (its state
// carries from call to call), plain calls run in the program against a
// fresh instance, `@init` calls once per site at start-up.
use counter;
report var static_sum: i32 = @static counter.twice(21);
report var total: i32;
report var inits: i32;
wasm:opcode:nop:before / @static counter.is_odd(pc as i32) as bool / {
    report unshared var order: i32 = @static counter.bump(1);
    @init counter.bump(100);
    total = counter.bump(10);
    counter.note(pc as i64);
}
wasm:end { inits = counter.bump(0); }
