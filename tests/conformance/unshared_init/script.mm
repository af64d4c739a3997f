// An unshared initializer runs once per site, with the site's static facts.
wasm:opcode:nop:before {
    report unshared var seen: u32 = pc * 100;
    report unshared var op: str = opname;
    report unshared var first_site: bool = pc < 4;
    seen++;
}
