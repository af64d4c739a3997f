(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "xyz")
  (data (i32.const 16) "abcdef")
  (data "passive, not counted")
  (func $show (param i32 i32) nop)
  (func (export "_start")
    (call $show (i32.const 16) (i32.const 6))))
