(module
  (memory 1 2)
  (func (export "_start")
    (drop (memory.grow (i32.const 1)))
    (drop (memory.grow (i32.const 5)))
    (drop (memory.grow (i32.const 0)))))
