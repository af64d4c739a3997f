// covers: ++ and -- on globals, locals, unshared and report variables and map elements, on several integer types
var g8: u8;
var g64: i64;
var m: map<str, i16>;

wasm:opcode:local.get:before {
    report var seen: u32;
    unshared var down: i32 = 1000;
    var tmp: u16 = 1;
    tmp++;
    g8++;
    g64--;
    seen++;
    down--;
    m["gets"]++;
    m["sets"]--;
    if (tmp == 2) {
        g8--;
    }
}
