// error: function `sign` must return an `i32` on every path (the `x == 0` path falls off the end)
fn sign(x: i32) -> i32 {
    if (x < 0) {
        return -1;
    } elif (x > 0) {
        return 1;
    }
}
var total: i32;
wasm:opcode:i32.add:before {
    total = total + sign(arg0);
}
