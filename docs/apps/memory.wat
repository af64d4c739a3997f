;; _start stores 7 at address 64 and the byte 9 at 64 + 4, loads both back,
;; then asks to grow memory by 1 page (which fails: the maximum is 1 page)
;; and by 0 pages (which succeeds).
(module
  (memory (export "memory") 1 1)
  (func $_start (export "_start")
    (i32.store (i32.const 64) (i32.const 7))
    (i32.store8 offset=4 (i32.const 64) (i32.const 9))
    (drop (i32.add (i32.load (i32.const 64))
                   (i32.load8_u offset=4 (i32.const 64))))
    (drop (memory.grow (i32.const 1)))
    (drop (memory.grow (i32.const 0)))))
