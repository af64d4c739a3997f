(module
  (func $f (param i32) (result i32) local.get 0)
  (func $g (param i64) (result i64) local.get 0)
  (func $h nop)
  (func (export "_start")
    (drop (call $f (i32.const 3)))
    (drop (call $f (i32.const 4)))
    (drop (call $g (i64.const 5)))
    call $h))
