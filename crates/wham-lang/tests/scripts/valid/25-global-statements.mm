// covers: global statements run once at start, in order: declarations, assignments, map writes, if/elif/else, user-function, library and compiler-provided calls, @static and @init at global scope
use setup;

var limit: u32 = 64;
var table: map<u32, str>;
var mode: u8;
var base: i32 = @static setup.base();
var data_end: u32 = active_data_start(APP_MEMID) + active_data_len(APP_MEMID);

fn pick(n: u32) -> u8 {
    return n > 32 ? 2 : 1;
}

limit = limit * 2;
table[0] = "zero";
table[1] = "one";
if (limit > 100) {
    mode = pick(limit);
} elif (limit == 0) {
    mode = 0;
} else {
    mode = 1;
}
setup.configure(limit, base);
var handle: i32 = setup.open(1);
@init setup.start();

wasm:opcode:call:before / mode == 2 / {
    if (imm0 < limit && handle != 0 && pc < data_end) {
        table[imm0] = target_fn_name;
    }
}
