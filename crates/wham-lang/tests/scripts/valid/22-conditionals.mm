// covers: if, if/else, if/elif/elif/else, nested if, `return;` ending a before probe early
var small: u32;
var medium: u32;
var large: u32;
var huge: u32;

wasm:opcode:memory.grow(arg0: i32):before {
    var pages: u32 = arg0 as u32;
    if (pages == 0) {
        return;
    }
    if (pages < 2) {
        small++;
    } elif (pages < 16) {
        medium++;
    } elif (pages < 256) {
        large++;
    } else {
        huge++;
        if (pages > 1024) {
            huge++;
        } else {
            huge--;
        }
    }
}
