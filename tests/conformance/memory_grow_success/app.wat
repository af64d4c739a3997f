(module
  (memory 1 4)
  (func (export "_start")
    (drop (memory.grow (i32.const 2)))
    (drop (memory.grow (i32.const 0)))
    (drop (memory.grow (i32.const 1)))))
