// covers: 2-part rules wasm:begin, wasm:end and wasm:report (a custom report printed through a library)
use printer;

var started: bool;
var ops: u64;
var per_op: map<str, u64>;

wasm:begin {
    started = true;
    printer.banner("start");
}
wasm:opcode:*:before {
    ops++;
    per_op[opname]++;
}
wasm:end / started / {
    printer.number(ops);
}
wasm:report {
    printer.banner("operations");
    printer.number(ops);
}
