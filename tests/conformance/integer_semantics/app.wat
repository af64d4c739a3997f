(module
  (func $nums (param i32 i32 i64))
  (func (export "_start") (call $nums (i32.const -7) (i32.const 250) (i64.const -2))))
