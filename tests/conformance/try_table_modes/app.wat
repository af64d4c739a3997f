(module
  (tag $e (param i32))
  (func $maybe_throw (param i32)
    local.get 0
    if
      local.get 0
      throw $e
    end)
  (func $catcher (param i32) (result i32)
    block $h (result i32)
      try_table (catch $e $h)
        local.get 0
        call $maybe_throw
      end
      i32.const -1
      return
    end)
  (func (export "_start")
    (drop (call $catcher (i32.const 0)))
    (drop (call $catcher (i32.const 7)))
    (drop (call $catcher (i32.const 0)))))
