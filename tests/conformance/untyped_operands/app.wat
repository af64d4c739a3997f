(module
  (global $g f64 (f64.const 2.5))
  (func $main (export "_start") (local $x i32)
    (drop (i64.const 7))
    (drop (local.get $x))
    (drop (global.get $g))))
