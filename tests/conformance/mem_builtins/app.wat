(module
  (memory 1)
  (func $main (export "_start")
    (drop (memory.grow (i32.const 2)))))
