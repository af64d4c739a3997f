(module
  (func $f (param i32) (result i32)
    (local i64 i64 i32)
    i32.const 1000
    local.get 0
    i32.add
    local.set 3
    i64.const -1
    local.set 1
    local.get 3)
  (func (export "_start") (drop (call $f (i32.const 5)))))
