(module
  (func $pick (param i32) (result i32)
    block
      local.get 0
      br_if 0
      i32.const 2
      return
    end
    i32.const 1)
  (func (export "_start")
    (drop (call $pick (i32.const 1)))
    (drop (i32.add (i32.const 1) (i32.const 1)))))
