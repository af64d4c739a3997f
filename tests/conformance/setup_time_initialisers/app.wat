;; Grows its two-page memory by one page, then stores into the new page.
(module
  (memory 2)
  (func $main (export "_start")
    i32.const 1
    memory.grow
    drop
    i32.const 131072
    i32.const 9
    i32.store))
