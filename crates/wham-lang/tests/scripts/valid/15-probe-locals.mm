// covers: probe-local variables of several types, declared with and without initialisers, reset on every execution of the probe
var total: u64;

wasm:opcode:i64.store:before {
    var value: i64 = arg0;
    var address: u32 = effective_addr;
    var flagged: bool;
    var note: str;
    var pair: (u32, i64) = (address, value);
    var scale: f32 = 1.5;
    if (value < 0) {
        flagged = true;
        note = "negative";
    }
    if (flagged && note == "negative" && scale > 1.0) {
        total = total + (pair.1 as u64) + (pair.0 as u64);
    }
}
