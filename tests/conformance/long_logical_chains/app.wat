(module
  (func $a nop)
  (func $b nop (drop (i32.const 1)))
  (func (export "_start")
    (call $a) (call $b) (call $b) (call $b)))
