(module
  (func $main (export "_start")
    (drop (i32.wrap_i64 (i64.add (i64.const 1) (i64.const 2))))
    (drop (i32.wrap_i64 (i64.extend_i32_s (i32.add (i32.const 1) (i32.const 2)))))
    (drop (i64.eqz (i64.const 0)))
    nop))
