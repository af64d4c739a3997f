(module
  (memory (export "memory") 1)
  (data (i32.const 16) "hello world")
  (data (i32.const 32) "help")
  (func $show (param i32 i32) nop)
  (func (export "_start")
    (call $show (i32.const 16) (i32.const 11))
    (call $show (i32.const 32) (i32.const 4))
    (call $show (i32.const 16) (i32.const 5))))
