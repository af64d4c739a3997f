(module
  (func $f (param i32) (result i32)
    block (result i32)
      local.get 0
      if (result i32)
        i32.const 1
      else
        i32.const 2
      end
    end)
  (func $g (param i32) (result i32)
    local.get 0
    if
      i32.const 5
      return
    end
    i32.const 6)
  (func (export "_start")
    (drop (call $f (i32.const 1)))
    (drop (call $f (i32.const 0)))
    (drop (call $g (i32.const 1)))))
