(module
  (func (export "_start")
    (drop (select (i32.const 1) (i32.const 2) (i32.const 1)))
    (drop (select (i32.const 1) (i32.const 2) (i32.const 0)))
    (drop (select (i64.const 1) (i64.const 2) (i32.const 9)))))
