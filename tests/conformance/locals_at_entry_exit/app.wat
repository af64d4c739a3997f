(module
  (func $accum (param i32 i64) (result i32)
    (local i32)
    local.get 0
    i32.const 3
    i32.mul
    local.set 2
    local.get 1
    i64.const 1
    i64.add
    local.set 1
    local.get 2)
  (func (export "_start")
    (drop (call $accum (i32.const 4) (i64.const 100)))
    (drop (call $accum (i32.const -2) (i64.const -1)))))
