(module
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store offset=8 (i32.const 100) (i32.const 7))
    (i64.store (i32.const 200) (i64.const 9))
    (drop (i32.load8_u offset=8 (i32.const 100)))
    (drop (i32.load (i32.const 108)))))
