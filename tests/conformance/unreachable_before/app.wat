(module
  (func $check (param i32)
    local.get 0
    i32.eqz
    if
      unreachable
    end)
  (func (export "_start")
    (call $check (i32.const 1))
    (call $check (i32.const 2))
    (call $check (i32.const 0))
    (call $check (i32.const 3))))
