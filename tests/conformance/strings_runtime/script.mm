// Strings only known at run time: the app's (address, length) arguments
// compared in place, copied out with read_str, searched, compared, and
// written back with write_str.
report var hellos: u32;
report var worlds: u32;
report var last: str;
report var starts_hel: u32;
report var ends_ld: u32;
report var helps: u32;
report var roundtrips: u32;
wasm:opcode:call(arg0: i32, arg1: i32):before / target_fn_name == "show" / {
    if (strcmp((arg1, arg0), "hello")) { hellos++; }
    if (strcontains((arg1, arg0), "world")) { worlds++; }
    var s: str = read_str(0, arg1, arg0 as u32);
    last = s;
    if (s.starts_with("hel")) { starts_hel++; }
    if (s.ends_with("ld")) { ends_ld++; }
    var target: str = "help";
    if (s == target) { helps++; }
    write_str(0, 200, s);
    var back: str = read_str(0, 200, s.len());
    if (back == s && !(back != s)) { roundtrips++; }
}
