(module
  (func (export "_start")
    nop
    (drop (i32.const 5))
    nop
    (drop (i32.const 7))
    (drop (i32.mul (i32.const 6) (i32.const 7)))))
