(module
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "_start")
    (drop (call $sq (i32.const 3)))
    (drop (call $sq (i32.const -4)))
    (drop (i32.add (i32.const 40) (i32.const 2)))))
