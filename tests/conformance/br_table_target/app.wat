(module
  (func $sw (param i32) (result i32)
    block block block
      local.get 0
      br_table 0 1 2
    end i32.const 10 return
    end i32.const 20 return
    end i32.const 30)
  (func (export "_start")
    (drop (call $sw (i32.const 0)))
    (drop (call $sw (i32.const 1)))
    (drop (call $sw (i32.const 5)))
    (drop (call $sw (i32.const 1)))))
