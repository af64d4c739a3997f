(module
  (func $i (param i32) nop)
  (func $l (param i32 i64) nop)
  (func (export "_start")
    (call $i (i32.const 1))
    (call $l (i32.const 2) (i64.const -9))
    (call $l (i32.const 3) (i64.const 11))))
