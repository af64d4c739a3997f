(module
  ;; Built for threads, run on one: a shared memory and atomics.
  (memory (export "memory") 1 2 shared)
  (func (export "_start")
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 5)))
    (drop (i64.atomic.rmw.xchg (i32.const 8) (i64.const 7)))
    (drop (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 5) (i32.const 6)))
    ;; The value is 6, not 0: the wait returns at once ("not-equal").
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    (drop (i32.atomic.load (i32.const 0)))))
