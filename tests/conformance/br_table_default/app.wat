(module
  (func $sw (param i32) (result i32)
    block $d
      block $b
        block $a
          local.get 0
          br_table $a $b $a $d
        end
        i32.const 10 return
      end
      i32.const 20 return
    end
    i32.const 30)
  (func (export "_start")
    (drop (call $sw (i32.const 0)))
    (drop (call $sw (i32.const 1)))
    (drop (call $sw (i32.const 2)))
    (drop (call $sw (i32.const 3)))
    (drop (call $sw (i32.const 100)))))
