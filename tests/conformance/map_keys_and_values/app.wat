(module
  (func $alpha (param i32) (result i32) local.get 0)
  (func $beta (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "_start")
    (drop (call $beta (i32.const 1)))
    (drop (call $alpha (i32.const 2)))
    (drop (call $beta (i32.const 3)))
    (drop (call $alpha (call $beta (i32.const 4))))))
