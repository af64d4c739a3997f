// The per-site rows of one probe come grouped by type, in whamm's order
// (§8.4, §8.5): u8 < i8 < u16 < i16 < u32 < i32 < f32 < u64 < i64 < f64 <
// bool < str < tuple < map, whatever order they were declared in; sites in
// program order within each group.
wasm:opcode:nop:before {
    report unshared var seen: map<u32, u32>;
    report unshared var pair: (u32, bool);
    report unshared var name: str;
    report unshared var flag: bool;
    report unshared var ratio: f64;
    report unshared var wide: i64;
    report unshared var count: u32;
    report unshared var small: u8;
    small++;
    count = count + 2;
    wide = wide - 1;
    ratio = 0.5;
    flag = true;
    name = fname;
    pair = (pc, pc > 1);
    seen[pc]++;
}
