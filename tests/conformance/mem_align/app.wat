(module
  (memory 1)
  (func (export "_start")
    (i32.store align=1 (i32.const 0) (i32.const 1))
    (i64.store offset=16 align=4 (i32.const 0) (i64.const 2))
    (drop (i32.load (i32.const 0)))
    (drop (i64.load16_s align=1 (i32.const 3)))
    (drop (i32.load8_u (i32.const 3)))
    (drop (f64.load (i32.const 16)))))
