// error: a script needs at least one probe
var count: u32;
fn bump(x: u32) -> u32 {
    return x + 1;
}
