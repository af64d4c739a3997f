(module
  (memory 1)
  (func $log (param i32 i32) nop)
  (func (export "_start")
    (call $log (i32.const 1) (i32.const 2))
    (i32.store (i32.const 8) (i32.const 77))
    (call $log (i32.const 3) (i32.const 4))
    (drop (i32.load (i32.const 8)))
    (drop (i32.add (i32.const 10) (i32.const 20)))))
