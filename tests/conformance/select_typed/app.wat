(module
  (func (export "_start")
    (drop (select (result i64) (i64.const 10) (i64.const 20) (i32.const 0)))
    (drop (select (result i32) (i32.const 3) (i32.const 4) (i32.const 1)))
    (drop (select (i32.const 5) (i32.const 6) (i32.const 0)))
    (drop (select (i32.const 7) (i32.const 8) (i32.const -1)))
    (drop (select (i64.const 1) (i64.const 2) (i32.const 2)))))
