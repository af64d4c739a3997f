// covers: every precedence level and left associativity; each line only type-checks with the documented grouping
var out: u32;
var flag: bool;

wasm:opcode:i32.mul:before {
    var x: u32 = arg0 as u32;
    // `*` binds tighter than `+`, `+` tighter than `==`, `==` tighter than `&&`
    flag = 1 + 2 * 3 == 7 && x > 0;
    // `+` binds tighter than `<<`: x << (1 + 1)
    out = x << 1 + 1;
    // `&` binds tighter than `^`, `^` tighter than `|`: out | (x ^ (3 & 5))
    out = out | x ^ 3 & 5;
    // `<<` binds tighter than `<`: (x << 2) < 64
    flag = x << 2 < 64;
    // `as` binds tighter than prefix `!`: !(x as bool)
    flag = !x as bool;
    // `as` binds tighter than `+`: out + (x as u32)
    out = out + x as u32;
    // left associative: (20 - 5) - 3 and (x == 1) == flag
    out = 20 - 5 - 3;
    flag = x == 1 == flag;
    // the ternary is lowest and right associative: flag ? 1 : ((x > 9) ? 2 : 3)
    out = flag ? 1 : x > 9 ? 2 : 3;
    // `&&` and `||` share one level; parentheses make the grouping explicit
    flag = (flag || x == 0) && out != 0;
}
