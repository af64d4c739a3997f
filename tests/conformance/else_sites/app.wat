;; Two ifs; the second has an else arm, taken for arguments below 2.
(module
  (func $pick (param i32) (result i32)
    (local i32)
    local.get 0
    if
      i32.const 1
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.ge_u
    if (result i32)
      local.get 1
      i32.const 10
      i32.add
    else
      local.get 1
      i32.const 20
      i32.add
    end)
  (func (export "_start")
    (drop (call $pick (i32.const 0)))
    (drop (call $pick (i32.const 1)))
    (drop (call $pick (i32.const 5)))))
