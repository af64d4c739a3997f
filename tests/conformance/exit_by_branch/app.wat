(module
  (func $by_br (param i32) (result i32)
    block
      local.get 0
      br_if 0
      i32.const 1
      br 1
    end
    i32.const 2)
  (func $deep (param i32)
    block
      block
        local.get 0
        br_if 2
      end
    end
    nop)
  (func (export "_start")
    (drop (call $by_br (i32.const 0)))
    (drop (call $by_br (i32.const 1)))
    (call $deep (i32.const 1))
    (call $deep (i32.const 0))
    (call $deep (i32.const 0))))
